"""French labels of the screens (the code and the API speak English)."""

from __future__ import annotations

from collections.abc import Mapping

ROLES = {"prosecutor": "Parquet", "association": "Association référente", "teleassistance": "Téléassistance"}
MEASURE_STATUS = {
    "referred": "Signalement reçu",
    "evaluation_requested": "Réquisition envoyée (rapport attendu)",
    "evaluated": "Rapport reçu : décision à prendre",
    "refused": "Attribution refusée",
    "active": "Mesure en cours",
    "withdrawn": "Dispositif retiré",
    "expired": "Mesure arrivée à échéance",
}
URGENCY = {"urgent": "Urgent", "standard": "Ordinaire"}
REFERRER_KIND = {
    "social_worker": "Travailleur social",
    "police_investigator": "Enquêteur",
    "hospital": "Hôpital",
    "spip": "SPIP",
    "judge": "Juge",
    "lawyer": "Avocat",
    "psychologist": "Psychologue",
    "other": "Autre",
}
LEVEL = {"low": "Faible", "medium": "Moyen", "high": "Élevé"}
ANSWER = {"yes": "Oui", "no": "Non", "unknown": "Ne sait pas"}
PURPOSE = {"initial": "Évaluation initiale", "renewal": "Réévaluation avant renouvellement"}
WITHDRAWAL_REASON = {
    "danger_ceased": "Fin de la situation de danger",
    "author_incarcerated": "Incarcération de l'auteur",
    "beneficiary_request": "Demande de la bénéficiaire",
    "prosecutor_request": "Demande du parquet (après avis du comité de pilotage)",
    "non_compliance": "Non-respect des règles d'utilisation",
}
ALERT_STATE = {
    "raised": "En attente d'un opérateur",
    "taken": "Prise en charge",
    "dispatched": "Forces alertées",
    "redirected": "Réorientée vers l'association",
    "closed": "Clôturée",
}
ALERT_OUTCOME = {
    "danger": "Danger : forces alertées",
    "no_danger": "Pas de danger : réorientée vers l'association",
    "test_call": "Appel test",
    "accidental": "Appui accidentel",
}
CONTACT_NATURE = {
    "phone_call": "Appel téléphonique",
    "meeting": "Entretien à l'association",
    "home_visit": "Visite à domicile",
    "accompaniment": "Accompagnement (plainte, audience, démarches)",
    "message": "Message écrit",
    "other": "Autre",
}
ORIENTATION_KIND = {
    "complaint": "Accompagnement au dépôt de plainte",
    "protection_order": "Demande d'ordonnance de protection",
    "specialised_association": "Orientation vers une association spécialisée",
    "evaluation": "Évaluation en vue d'un téléphone grave danger",
}
RECORDED_AS = {"association": "Association", "parquet": "Parquet"}
RELATIONSHIP = {
    "spouse": "Conjoint",
    "cohabitant": "Concubin",
    "pacs_partner": "Partenaire de PACS",
    "former_spouse": "Ancien conjoint",
    "former_cohabitant": "Ancien concubin",
    "former_pacs_partner": "Ancien partenaire de PACS",
    "none": "Aucun de ces liens",
}
DANGER = {"conjugal_violence": "Violences conjugales", "rape": "Viol", "other": "Autre danger"}
INELIGIBILITY = {
    "danger_not_covered": "Le danger n'est ni des violences conjugales ni un viol.",
    "not_a_partner": "Violences conjugales : l'auteur n'est ni (ex-)conjoint, ni (ex-)concubin, ni (ex-)partenaire "
    "de PACS.",
    "not_separated": "La victime vit encore avec l'auteur (pas de séparation physique).",
    "author_incarcerated": "L'auteur est incarcéré.",
}
OPINION = {"favourable": "Favorable", "unfavourable": "Défavorable"}
DEVICE_STATE = {
    "in_stock": "En stock",
    "assigned": "Attribué (mise en service en cours)",
    "active": "En service",
    "to_collect": "Restitué : à récupérer et réinitialiser",
    "lost": "Perdu (remplacé)",
    "broken": "Hors d'usage (remplacé)",
    "retired": "Retiré du parc",
}
OUT_OF_SERVICE = {
    "lost": "Perte",
    "broken": "Panne ou casse",
    "scrapped": "Mise au rebut",
    "returned_to_supplier": "Retour fournisseur",
}
RETIREMENT_REASON = {"scrapped": "Mise au rebut", "returned_to_supplier": "Retour fournisseur"}
REPLACEMENT_REASON = {"lost": "Téléphone perdu ou volé", "broken": "Téléphone hors d'usage"}
ATTENDEE_ROLE = {
    "beneficiary": "La bénéficiaire",
    "association_worker": "Membre de l'association référente",
    "prosecutor": "Magistrat du parquet",
    "court_clerk": "Greffier",
    "teleassistance_operator": "Opérateur de téléassistance",
    "interpreter": "Interprète",
    "other": "Autre",
}
ASSIGNMENT_STATUS = {
    "awaiting_dossier": "Fiche navette attendue",
    "awaiting_decision": "Décision attendue",
    "cancelled": "Annulée",
    "out_of_stock": "En attente d'un terminal (rupture de stock)",
    "provisioned": "Terminal attribué, appel test de remise attendu",
    "active": "En service",
    "returned": "Restitué",
}
REMINDER_KIND = {
    "test_call_due": "Appel test à faire",
    "test_call_overdue": "Appel test en retard",
    "requisition_overdue": "Réquisition en retard : rapport d'évaluation attendu",
    "measure_ending": "Fin de mesure proche",
    "renewal_to_decide": "Réévaluation rendue : renouvellement à décider",
    "out_of_stock": "Rupture de stock : plus aucun téléphone disponible",
    "author_released": "Libération de l'auteur : prévenir la bénéficiaire",
}
SITUATION = {"family": "Familiale", "personal": "Personnelle", "professional": "Professionnelle", "social": "Sociale"}
CRITERIA = {
    "past_violence_gravity": "Gravité des violences antérieures",
    "author_profile_and_reoffending_risk": "Profil de l'auteur, antécédents, risque de réitération",
    "victim_isolation_and_vulnerability": "Isolement et vulnérabilité de la victime",
    "danger_gravity_and_immediacy": "Gravité et actualité du danger",
}
ERRORS = {
    "invalid_client": "Identifiant ou mot de passe incorrect.",
    "unauthenticated": "Session expirée : reconnectez-vous.",
    "forbidden": "Action non autorisée pour votre compte.",
    "not_found": "Introuvable (ou hors de votre ressort).",
    "referral_not_found": "Signalement introuvable (ou hors de votre ressort).",
    "attribution_not_found": "Attribution introuvable (ou hors de votre ressort).",
    "invalid_request": "Formulaire incomplet ou invalide : vérifiez les champs.",
    "invalid_state": "Cette étape n'est pas possible à ce stade de la mesure.",
    "consent_required": "Le consentement de la bénéficiaire est requis pour attribuer le dispositif.",
    "author_incarcerated": "L'auteur est incarcéré : le dispositif ne peut pas être attribué.",
    "not_eligible": "Conditions d'attribution non remplies (lien avec l'auteur, séparation, nature du danger) : "
    "le dispositif ne peut pas être attribué.",
    "orientation_recorded": "Cette orientation (même nature, même date) est déjà enregistrée.",
    "renewal_limit_reached": "Le nombre maximal de renouvellements est atteint pour ce ressort.",
    "unknown_instrument": "Grille d'évaluation inconnue.",
    "risk_level_lowered": "Le niveau calculé par la grille ne peut pas être abaissé.",
    "unknown_jurisdiction": "Ressort inconnu.",
    "court_outside_department": "Un terminal ne peut être transféré qu'entre tribunaux du même département.",
    "out_of_stock": "Aucun terminal en stock : le parquet et la téléassistance sont avertis ; rien n'a été modifié.",
    "device_not_found": "Terminal introuvable (ou hors de votre ressort).",
    "rate_limited": "Trop de tentatives ou de requêtes : réessayez dans quelques minutes.",
    "service_unavailable": "Service momentanément indisponible : réessayez.",
    "service_timeout": "Le service n'a pas répondu à temps : réessayez.",
    "reminder_not_found": "Rappel introuvable (ou adressé à un autre partenaire).",
    "csrf": "Formulaire expiré : rechargez la page et recommencez.",
}
DEFAULT_ERROR = "Erreur inattendue : réessayez ou contactez l'administrateur."


def label(table: Mapping[str, str], value: object) -> str:
    """The French label, or the value itself when unknown (never an empty cell)."""
    if value is None:
        return "—"
    return table.get(str(value), str(value))


def locked(wait_s: float) -> str:
    """The login form while its (login, address) pair or its address is locked."""
    minutes = int(wait_s // 60) + 1
    return (
        f"Trop de tentatives de connexion depuis ce poste : réessayez dans {minutes} minute(s), "
        "ou contactez l'administrateur de la plateforme."
    )


def error(code: str) -> str:
    return ERRORS.get(code, DEFAULT_ERROR)
