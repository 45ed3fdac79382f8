"""The security-order model family: parameters, compilation, the pure step, its noise, outputs,
initial state, region measures and fused kernel; :func:`~.simulate.simulate` runs it on the
generic engine (:mod:`alliancelab.engine`). Import the submodules you need: this package
imports nothing on its own (the kernel's compiler is heavy)."""
