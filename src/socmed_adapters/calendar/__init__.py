"""The content calendar's read side: the month view, holidays and commercial dates, cadence
gaps and clashes, the .ics export and the month planner (SOP stage 1)."""
