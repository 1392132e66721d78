"""SOP stage 3, publication: the final check, the Publisher port and publication outcomes."""
