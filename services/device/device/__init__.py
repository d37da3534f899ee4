"""Device service (plateforme de téléassistance): the stock of terminals, provisioning
on a granted attribution with the fiche navette, test calls, return and data wipe."""
