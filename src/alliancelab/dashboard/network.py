"""The dashboard's alliance-network figure, as pure functions tested without a browser: which
ties are credible in a year, and where each state stands so that every tie is seen."""

from __future__ import annotations

from typing import Any

from alliancelab.engine.manifest import read_manifest

__all__ = ["credible_ties", "hub_and_spoke_layout"]


def hub_and_spoke_layout(g: Any) -> dict[str, tuple[float, float]]:
    """Positions that show a hub-and-spoke network as one: the state with the most ties in the
    middle, its partners on a ring around it, the states tied only to others on a second ring, and
    the states without a tie on an outer ring (networkx's shell layout, rings in name order), so
    no two states share a place and every tie is a visible line."""
    import networkx as nx

    if g.number_of_nodes() == 0:
        return {}
    hub = max(sorted(g.nodes), key=lambda n: (g.degree(n), n == "usa"))
    spokes = sorted(g.neighbors(hub))
    tied = sorted(n for n in g.nodes if n != hub and n not in spokes and g.degree(n) > 0)
    alone = sorted(n for n in g.nodes if g.degree(n) == 0)
    shells = [[hub], *(ring for ring in (spokes, tied, alone) if ring)]
    pos = nx.shell_layout(g, nlist=shells, scale=1.0)
    return {str(k): (float(v[0]), float(v[1])) for k, v in pos.items()}


def credible_ties(ds: Any, year: int, tie: float) -> list[tuple[str, str]]:
    """The (defended, defender) links whose median credibility × written commitment in ``year``
    reaches ``tie``: the commitment in force that year as the run compiled it (kinds, shocks,
    switches), read from the run's manifest."""
    from alliancelab.models.order.compile import compile_scenario
    from alliancelab.models.order.params import Params
    from alliancelab.scenario import scenario_from_dict

    manifest = read_manifest(ds)
    scenario = scenario_from_dict(manifest["resolved_scenario"], source=str(manifest["scenario"]))
    c = compile_scenario(scenario, Params.model_validate(manifest["params"]), len(ds.year))
    commit = c.commitment[int(year) - int(ds.year[0])]
    cred = ds["credibility"].sel(year=year).median("run").values
    return [
        (c.ids[c.link_defended[m]], c.ids[c.link_defender[m]]) for m in range(len(commit)) if cred[m] * commit[m] >= tie
    ]
