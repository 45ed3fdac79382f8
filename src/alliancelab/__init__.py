"""alliancelab: a laboratory for alliance politics and regional security orders."""
