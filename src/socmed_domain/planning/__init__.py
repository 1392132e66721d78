"""SOP stage 1 (planning): the strategy and the campaigns that content items belong to."""
