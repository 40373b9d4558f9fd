-- Defines name_variant(name, kind, n): a name as an agent types it again. kind 0: a spelling
-- heard the same (Peeters/Pieters, Janssens/Jansens, Verstraete/Verstraeten, Hélène/Helene,
-- Dumont/Dumond), one of the rules below that apply, chosen by n (a typo when none does);
-- 1-3: a typo (neighbouring letters swapped, a letter left out or typed twice).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO name_variant(name, kind, n) AS
    CASE WHEN kind % 4 = 0 THEN coalesce(rewrite(name, [
             {'p': 'ee', 'r': 'ie'}, {'p': 'ie', 'r': 'ee'}, {'p': 'ss', 'r': 's'},
             {'p': 'nn', 'r': 'n'}, {'p': 'll', 'r': 'l'}, {'p': 'tt', 'r': 't'},
             {'p': 'aa', 'r': 'a'}, {'p': 'oo', 'r': 'o'}, {'p': 'ae', 'r': 'a'},
             {'p': 'te$', 'r': 'ten'}, {'p': 'ens$', 'r': 'en'}, {'p': 'ck', 'r': 'k'},
             {'p': 'dt', 'r': 'd'}, {'p': 'ij', 'r': 'y'}, {'p': 'y', 'r': 'ij'},
             {'p': 'ph', 'r': 'f'}, {'p': 'th', 'r': 't'}, {'p': 'oe', 'r': 'ou'},
             {'p': 'ou', 'r': 'oe'}, {'p': 'ei', 'r': 'ey'}, {'p': 't$', 'r': 'd'},
             {'p': 'é', 'r': 'e'}, {'p': 'è', 'r': 'e'}, {'p': 'ë', 'r': 'e'},
             {'p': 'ï', 'r': 'i'}, {'p': 'ç', 'r': 'c'}, {'p': 'ö', 'r': 'o'},
             {'p': 'ü', 'r': 'u'}, {'p': 'ä', 'r': 'a'}, {'p': '-', 'r': ' '}], n),
         typo(name, n, n // 3))
         ELSE typo(name, kind - 1, n) END;
