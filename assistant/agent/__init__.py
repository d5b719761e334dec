"""The agent: a tool-using model that investigates, explains and proposes changes for approval."""
