"""Alert service (régulation de l'appel): alerts, their qualification, the dispatch to
the forces and the association, acknowledgements, escalation and closure."""
