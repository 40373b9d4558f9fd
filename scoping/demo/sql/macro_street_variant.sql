-- Defines street_variant(street, n): a street as an agent types it again: an abbreviation
-- (Kerkstraat -> Kerkstr., Brugsesteenweg -> Brugsestwg, Rue -> R., Saint- -> St-), an accent
-- left out or a typographic apostrophe (Rue de l'Église -> Rue de l'Eglise, Rue de l’Église),
-- one of those that apply chosen by n; in lower case when none does.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO street_variant(street, n) AS
    coalesce(rewrite(street, [
        {'p': 'straat$', 'r': 'str.'}, {'p': 'straat$', 'r': 'str'},
        {'p': 'steenweg$', 'r': 'stwg'}, {'p': 'steenweg$', 'r': 'stwg.'},
        {'p': 'laan$', 'r': 'ln'}, {'p': 'dreef$', 'r': 'dr.'}, {'p': '^Sint-', 'r': 'St-'},
        {'p': 'straße$', 'r': 'str.'}, {'p': 'strasse$', 'r': 'str.'}, {'p': 'ß', 'r': 'ss'},
        {'p': '^Rue ', 'r': 'R. '}, {'p': '^Avenue ', 'r': 'Av. '},
        {'p': '^Chaussée ', 'r': 'Chée '}, {'p': '^Boulevard ', 'r': 'Bd '},
        {'p': '^Place ', 'r': 'Pl. '}, {'p': 'Saint-', 'r': 'St-'},
        {'p': 'É', 'r': 'E'}, {'p': 'é', 'r': 'e'}, {'p': 'è', 'r': 'e'}, {'p': 'â', 'r': 'a'},
        {'p': '''', 'r': '’'}], n),
        lower(street));
