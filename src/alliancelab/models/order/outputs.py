"""The order model's outputs: names, groups, dimensions, units, bounds and the mechanism behind each.

The catalogue's order is the order of the status codes (1 + index of the first failing output)
and of the fused kernel's output slots.
"""

from __future__ import annotations

from alliancelab.engine.outputs import GROUPS, Output

__all__ = ["GROUPS", "OUTPUTS", "Output"]

OUTPUTS: dict[str, Output] = {
    o.name: o
    for o in [
        Output("gdp", "actor", "current US$", "gross domestic product", "economy", 0.0),
        Output("milex", "actor", "current US$", "military expenditure", "arms", 0.0),
        Output("share", "actor", "fraction of GDP", "military expenditure as a share of GDP", "arms", 0.0, 1.0),
        Output("capability", "actor", "current US$", "military capital stock (perpetual inventory)", "economy", 0.0),
        Output("threat", "actor", "current US$", "perceived hostile capability (balance of threat)", "threat", 0.0),
        Output("net_threat", "actor", "current US$", "perceived threat minus own and allied cover", "threat"),
        Output(
            "abandonment_fear",
            "actor",
            "0-1",
            "commitment-weighted credibility shortfall of allies",
            "abandonment",
            0.0,
            1.0,
        ),
        Output("entrapment", "actor", "crises", "protégé crises the state stood by as a patron", "entrapment", 0.0),
        Output("crises", "actor", "count", "crises the state is in this year", "crises", 0.0, None, "int16"),
        Output("credibility", "alliance", "0-1", "credibility of the defender's commitment", "alliances", 0.0, 1.0),
        Output("support", "alliance", "0-1", "domestic support for the alliance", "domestic", 0.0, 1.0),
        Output("hostility", "dyad", "0-1", "hostility of the pair", "history", 0.0, 1.0),
        Output("crisis", "dyad", "0/1", "a militarized crisis began in the pair this year", "crises", 0.0, 1.0, "int8"),
        Output(
            "escalation", "dyad", "0/1", "the pair's crisis escalated to the use of force", "crises", 0.0, 1.0, "int8"
        ),
        Output(
            "arms_race_index", "region", "per year", "hostility-weighted co-growth of rivals' spending", "spiral", 0.0
        ),
        Output(
            "security_dilemma_index",
            "region",
            "0-1",
            "mean hostility generated beyond the historical baseline",
            "spiral",
            0.0,
            1.0,
        ),
        Output("crisis_count", "region", "count", "crises begun in the region this year", "crises", 0.0, None, "int16"),
        Output(
            "concentration", "region", "0-1", "Ray-Singer concentration of great-power capability", "economy", 0.0, 1.0
        ),
        Output("effective_poles", "region", "count", "effective number of great-power poles", "economy", 1.0),
        Output(
            "centralization",
            "region",
            "0-1",
            "Freeman centralization of the credible alliance network",
            "alliances",
            0.0,
            1.0,
        ),
        Output("order", "region", "code", "regional order type (see order_types attribute)", "order", 0.0, 4.0, "int8"),
    ]
}
