<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AccessControl</name>
    <message>
        <source>This Login As session is not recorded, so it cannot be used.</source>
        <translation>Cette session en tant que client n’est pas enregistrée&#xa0;: elle ne peut donc pas être utilisée.</translation>
    </message>
    <message>
        <source>This Login As session has ended. Nothing more can be viewed or changed in it.</source>
        <translation>Cette session en tant que client est terminée. Plus rien ne peut y être consulté ni modifié.</translation>
    </message>
    <message>
        <source>This Login As session expired at %1. Nothing more can be viewed or changed in it; start a new Login As if you still need the client&apos;s view.</source>
        <translation>Cette session en tant que client a expiré à %1. Plus rien ne peut y être consulté ni modifié&#xa0;; démarrez une nouvelle connexion en tant que client si vous avez encore besoin de la vue du client.</translation>
    </message>
    <message>
        <source>Your role does not allow this action.</source>
        <translation>Votre rôle ne permet pas cette action.</translation>
    </message>
    <message>
        <source>The customer does not exist or is not in your scope.</source>
        <translation>Le client n’existe pas ou ne fait pas partie de votre périmètre.</translation>
    </message>
    <message>
        <source>The reseller does not exist or is not in your scope.</source>
        <translation>Le revendeur n’existe pas ou ne fait pas partie de votre périmètre.</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>ResellerDesk</source>
        <translation>ResellerDesk</translation>
    </message>
    <message>
        <source>No database was chosen.</source>
        <translation>Aucune base de données n’a été choisie.</translation>
    </message>
    <message>
        <source>The demo login has no access.</source>
        <translation>L’identifiant de démonstration n’a aucun accès.</translation>
    </message>
    <message>
        <source>Demo logins: %1, support@demo.resellerdesk.test, admin@northwind.test, manager@northwind.test — password “%2”. See docs/demo.md for all of them.</source>
        <translation>Identifiants de démonstration&#xa0;: %1, support@demo.resellerdesk.test, admin@northwind.test, manager@northwind.test — mot de passe «&#xa0;%2&#xa0;». Voir docs/demo.md pour la liste complète.</translation>
    </message>
    <message>
        <source>Your password is set. Sign in with it now.</source>
        <translation>Votre mot de passe est défini. Connectez-vous maintenant avec celui-ci.</translation>
    </message>
    <message>
        <source>Switch Membership</source>
        <translation>Changer d’accès</translation>
    </message>
    <message>
        <source>Work as:</source>
        <translation>Travailler en tant que&#xa0;:</translation>
    </message>
    <message>
        <source>ResellerDesk is already open on %1; its window has been brought to the front.</source>
        <translation>ResellerDesk est déjà ouvert sur %1&#xa0;; sa fenêtre a été mise au premier plan.</translation>
    </message>
</context>
<context>
    <name>AuditRepository</name>
    <message>
        <source>writing the audit trail</source>
        <translation>l’écriture du journal d’audit</translation>
    </message>
    <message>
        <source>reading the audit trail</source>
        <translation>la lecture du journal d’audit</translation>
    </message>
    <message>
        <source>reading the audit log</source>
        <translation>la lecture du journal d’audit</translation>
    </message>
    <message>
        <source>The audit event does not exist or is not in your scope.</source>
        <translation>L’événement d’audit n’existe pas ou ne fait pas partie de votre périmètre.</translation>
    </message>
    <message>
        <source>reading the Login As sessions</source>
        <translation>la lecture des sessions en tant que client</translation>
    </message>
    <message>
        <source>counting the audit log</source>
        <translation>le comptage du journal d’audit</translation>
    </message>
    <message>
        <source>counting the Login As sessions</source>
        <translation>le comptage des sessions en tant que client</translation>
    </message>
</context>
<context>
    <name>AuditService</name>
    <message>
        <source>The export file could not be written: %1</source>
        <translation>Le fichier d’export n’a pas pu être écrit&#xa0;: %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Login As by</source>
        <translation>Connecté comme client par</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Entity type</source>
        <translation>Type d’entité</translation>
    </message>
    <message>
        <source>Entity ID</source>
        <translation>ID de l’entité</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <source>Batch ID</source>
        <translation>ID du lot</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
</context>
<context>
    <name>CatalogueRepository</name>
    <message>
        <source>saving the plan</source>
        <translation>l’enregistrement du forfait</translation>
    </message>
    <message>
        <source>A plan with the code %1 exists.</source>
        <translation>Un forfait avec le code %1 existe déjà.</translation>
    </message>
    <message>
        <source>reading plans</source>
        <translation>la lecture des forfaits</translation>
    </message>
    <message>
        <source>reading a plan</source>
        <translation>la lecture d’un forfait</translation>
    </message>
    <message>
        <source>The plan no longer exists.</source>
        <translation>Le forfait n’existe plus.</translation>
    </message>
    <message>
        <source>reading the reseller&apos;s plans</source>
        <translation>la lecture des forfaits du revendeur</translation>
    </message>
    <message>
        <source>reading a price list</source>
        <translation>la lecture d’une liste de prix</translation>
    </message>
    <message>
        <source>The price list no longer exists.</source>
        <translation>La liste de prix n’existe plus.</translation>
    </message>
    <message>
        <source>reading price lists</source>
        <translation>la lecture des listes de prix</translation>
    </message>
    <message>
        <source>saving the price list</source>
        <translation>l’enregistrement de la liste de prix</translation>
    </message>
    <message>
        <source>There is already a default price list.</source>
        <translation>Il existe déjà une liste de prix par défaut.</translation>
    </message>
    <message>
        <source>A price list named %1 exists.</source>
        <translation>Une liste de prix nommée %1 existe déjà.</translation>
    </message>
    <message>
        <source>reading the default price list</source>
        <translation>la lecture de la liste de prix par défaut</translation>
    </message>
    <message>
        <source>saving the price</source>
        <translation>l’enregistrement du prix</translation>
    </message>
    <message>
        <source>reading a price</source>
        <translation>la lecture d’un prix</translation>
    </message>
    <message>
        <source>reading prices</source>
        <translation>la lecture des prix</translation>
    </message>
</context>
<context>
    <name>CatalogueService</name>
    <message>
        <source>There is no default price list yet. An administrator needs to mark one as the default.</source>
        <translation>Il n’y a pas encore de liste de prix par défaut. Un administrateur doit en désigner une comme liste par défaut.</translation>
    </message>
</context>
<context>
    <name>ClientAccountService</name>
    <message>
        <source>The file cannot be read.</source>
        <translation>Le fichier ne peut pas être lu.</translation>
    </message>
    <message>
        <source>The file is not valid CSV: a quoted field is not closed properly (line %1). Nothing was imported.</source>
        <translation>Le fichier n’est pas un CSV valide&#xa0;: un champ entre guillemets n’est pas correctement fermé (ligne %1). Rien n’a été importé.</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text. Save it as UTF-8 CSV and import it again. Nothing was imported.</source>
        <translation>Le fichier n’est pas un texte UTF-8. Enregistrez-le au format CSV UTF-8 et importez-le à nouveau. Rien n’a été importé.</translation>
    </message>
    <message>
        <source>The account is deactivated, so its settings cannot be changed. Ask your reseller to activate it again.</source>
        <translation>Le compte est désactivé&#xa0;: ses paramètres ne peuvent donc pas être modifiés. Demandez à votre revendeur de le réactiver.</translation>
    </message>
    <message>
        <source>Only the account&apos;s Client Admin can change these settings.</source>
        <translation>Seul l’administrateur client du compte peut modifier ces paramètres.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Saisissez le nom du contact.</translation>
    </message>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>Le nom du contact ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Le nom du contact ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>The file is empty. It needs a header row with the columns customer_id (or domain), month and used. Nothing was imported.</source>
        <translation>Le fichier est vide. Il lui faut une ligne d’en-tête avec les colonnes customer_id (ou domain), month et used. Rien n’a été importé.</translation>
    </message>
    <message>
        <source>The first row must be a header naming the columns customer_id (or domain), month and used; missing: %1. Nothing was imported.</source>
        <translation>La première ligne doit être un en-tête nommant les colonnes customer_id (ou domain), month et used&#xa0;; colonnes manquantes&#xa0;: %1. Rien n’a été importé.</translation>
    </message>
    <message>
        <source>The row has %1 columns; the header has %2.</source>
        <translation>La ligne compte %1 colonnes&#xa0;; l’en-tête en compte %2.</translation>
    </message>
    <message>
        <source>There is no customer with the id “%1”.</source>
        <translation>Aucun client n’a l’identifiant «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>There is no customer with the domain “%1”.</source>
        <translation>Aucun client n’a le domaine «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>%1 customers use the domain “%2”; use the customer_id column to say which one.</source>
        <translation>%1 clients utilisent le domaine «&#xa0;%2&#xa0;»&#xa0;; indiquez lequel dans la colonne customer_id.</translation>
    </message>
    <message>
        <source>The month “%1” is not a month in the form YYYY-MM (e.g. 2026-12).</source>
        <translation>Le mois «&#xa0;%1&#xa0;» n’est pas au format AAAA-MM (par exemple 2026-12).</translation>
    </message>
    <message>
        <source>“%1” is not a number of identifications (a whole number, 0 or more).</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nombre d’identifications (un nombre entier, 0 ou plus).</translation>
    </message>
    <message>
        <source>%1 in %2 is already on line %3.</source>
        <translation>%1 en %2 figure déjà à la ligne %3.</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Open this database: an SQLite file path, or a postgresql://user@host:port/database address (a password in the address is used for this session only, never saved).</source>
        <translation>Ouvrir cette base de données&#xa0;: un chemin de fichier SQLite ou une adresse postgresql://user@host:port/database (un mot de passe inclus dans l’adresse ne sert que pour cette session et n’est jamais enregistré).</translation>
    </message>
    <message>
        <source>file-or-url</source>
        <translation>fichier-ou-url</translation>
    </message>
    <message>
        <source>Open the demo database, creating it on first use.</source>
        <translation>Ouvrir la base de démonstration, en la créant à la première utilisation.</translation>
    </message>
    <message>
        <source>Save a PNG picture of the first window shown and quit.</source>
        <translation>Enregistrer une image PNG de la première fenêtre affichée, puis quitter.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>With --demo: sign in as this demo login (see docs/demo.md) without the sign-in dialog.</source>
        <translation>Avec --demo&#xa0;: se connecter avec cet identifiant de démonstration (voir docs/demo.md) sans passer par la boîte de connexion.</translation>
    </message>
    <message>
        <source>email</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>With dispatch: deliver the email that is due, print a summary and exit instead of running on.</source>
        <translation>Avec dispatch&#xa0;: envoyer les e-mails dus, afficher un résumé et quitter au lieu de continuer à tourner.</translation>
    </message>
    <message>
        <source>With dispatch: read the SMTP password from the first line of this file (readable by its owner only) instead of the system keychain.</source>
        <translation>Avec dispatch&#xa0;: lire le mot de passe SMTP sur la première ligne de ce fichier (lisible uniquement par son propriétaire) au lieu du trousseau du système.</translation>
    </message>
    <message>
        <source>With dispatch: look for due email every this many seconds (default 30).</source>
        <translation>Avec dispatch&#xa0;: rechercher les e-mails dus toutes les N secondes (30 par défaut).</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>secondes</translation>
    </message>
    <message>
        <source>With export or import: sign in as this user (default: the RESELLERDESK_USER environment variable).</source>
        <translation>Avec export ou import&#xa0;: se connecter avec cet utilisateur (par défaut&#xa0;: la variable d’environnement RESELLERDESK_USER).</translation>
    </message>
    <message>
        <source>With export or import: read the user&apos;s password from the first line of this file (readable by its owner only) when RESELLERDESK_PASSWORD is not set.</source>
        <translation>Avec export ou import&#xa0;: lire le mot de passe de l’utilisateur sur la première ligne de ce fichier (lisible uniquement par son propriétaire) lorsque RESELLERDESK_PASSWORD n’est pas défini.</translation>
    </message>
    <message>
        <source>With export or import: work as this membership (its number or the name of its reseller portal or client account) when the user has several.</source>
        <translation>Avec export ou import&#xa0;: travailler avec cet accès (son numéro ou le nom de son portail revendeur ou de son compte client) lorsque l’utilisateur en a plusieurs.</translation>
    </message>
    <message>
        <source>id-or-name</source>
        <translation>id-ou-nom</translation>
    </message>
    <message>
        <source>With export: csv or xlsx (default: from the --output file&apos;s extension, else csv).</source>
        <translation>Avec export&#xa0;: csv ou xlsx (par défaut&#xa0;: d’après l’extension du fichier --output, sinon csv).</translation>
    </message>
    <message>
        <source>csv|xlsx</source>
        <translation>csv|xlsx</translation>
    </message>
    <message>
        <source>With export: the file to write (default: customers-DATE.csv or .xlsx in the current directory). It is replaced only when the export succeeds.</source>
        <translation>Avec export&#xa0;: le fichier à écrire (par défaut&#xa0;: customers-DATE.csv ou .xlsx dans le dossier courant). Il n’est remplacé que si l’export réussit.</translation>
    </message>
    <message>
        <source>With export: only customers whose company, domain, contact or email contains this text.</source>
        <translation>Avec export&#xa0;: uniquement les clients dont la société, le domaine, le contact ou l’e-mail contient ce texte.</translation>
    </message>
    <message>
        <source>term</source>
        <translation>terme</translation>
    </message>
    <message>
        <source>With export: the order, by company (default), domain, contact, email, reseller, plan, status or created.</source>
        <translation>Avec export&#xa0;: l’ordre de tri, par company (par défaut), domain, contact, email, reseller, plan, status ou created.</translation>
    </message>
    <message>
        <source>column</source>
        <translation>colonne</translation>
    </message>
    <message>
        <source>With export: sort in descending order.</source>
        <translation>Avec export&#xa0;: trier par ordre décroissant.</translation>
    </message>
    <message>
        <source>With import: the reseller portal the imported customers belong to.</source>
        <translation>Avec import&#xa0;: le portail revendeur auquel appartiendront les clients importés.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>With import: the customers become direct accounts of the vendor (administrators; instead of --reseller).</source>
        <translation>Avec import&#xa0;: les clients deviennent des comptes directs de l’éditeur (administrateurs&#xa0;; à la place de --reseller).</translation>
    </message>
    <message>
        <source>With import: the plan of rows whose plan cell is empty (name or code).</source>
        <translation>Avec import&#xa0;: le forfait des lignes dont la cellule forfait est vide (nom ou code).</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>forfait</translation>
    </message>
    <message>
        <source>With import: rows whose trial/paid cell is empty are paid (default: trial).</source>
        <translation>Avec import&#xa0;: les lignes dont la cellule essai/payant est vide sont payantes (par défaut&#xa0;: essai).</translation>
    </message>
    <message>
        <source>With import: check every row and report, but change nothing.</source>
        <translation>Avec import&#xa0;: vérifier chaque ligne et produire un rapport, sans rien modifier.</translation>
    </message>
    <message>
        <source>With import: queue a setup email for each imported customer.</source>
        <translation>Avec import&#xa0;: mettre en file d’attente un e-mail de configuration pour chaque client importé.</translation>
    </message>
    <message>
        <source>ResellerDesk manages resellers and their customers: onboarding, trials, transfers between resellers and audited Login As.

“resellerdesk dispatch --database FILE-OR-URL” delivers the queued email without a window (for a server without a display): it uses the SMTP settings of the database and runs until stopped (SIGTERM or Ctrl+C), or with --once until nothing is due.

“resellerdesk export customers --database FILE-OR-URL --format csv|xlsx” writes the customers the signed-in user may see to a file; “resellerdesk import FILE --database FILE-OR-URL” adds the customers of a CSV file. Both sign in without a window: the user from --user or RESELLERDESK_USER, the password from RESELLERDESK_PASSWORD, --password-file, the system keychain or a prompt on the terminal. Exit status 2 means a usage or sign-in mistake, 1 a failure.</source>
        <translation>ResellerDesk gère les revendeurs et leurs clients&#xa0;: intégration, essais, transferts entre revendeurs et connexion en tant que client auditée.

«&#xa0;resellerdesk dispatch --database FICHIER-OU-URL&#xa0;» envoie les e-mails en attente sans fenêtre (pour un serveur sans écran)&#xa0;: la commande utilise les paramètres SMTP de la base de données et tourne jusqu’à son arrêt (SIGTERM ou Ctrl+C), ou, avec --once, jusqu’à ce que plus rien ne soit dû.

«&#xa0;resellerdesk export customers --database FICHIER-OU-URL --format csv|xlsx&#xa0;» écrit dans un fichier les clients que l’utilisateur connecté peut voir&#xa0;; «&#xa0;resellerdesk import FICHIER --database FICHIER-OU-URL&#xa0;» ajoute les clients d’un fichier CSV. Les deux se connectent sans fenêtre&#xa0;: l’utilisateur vient de --user ou de RESELLERDESK_USER, le mot de passe de RESELLERDESK_PASSWORD, de --password-file, du trousseau du système ou d’une invite dans le terminal. Le code de sortie 2 signale une erreur d’utilisation ou de connexion, 1 un échec.</translation>
    </message>
    <message>
        <source>dispatch: deliver the queued email headless; export customers: write the customers to a file; import FILE: add customers from a CSV file. Without a command the windows open.</source>
        <translation>dispatch&#xa0;: envoyer les e-mails en attente sans interface&#xa0;; export customers&#xa0;: écrire les clients dans un fichier&#xa0;; import FICHIER&#xa0;: ajouter des clients depuis un fichier CSV. Sans commande, les fenêtres s’ouvrent.</translation>
    </message>
    <message>
        <source>export needs what to export: “export customers”. See --help.</source>
        <translation>export a besoin de ce qu’il faut exporter&#xa0;: «&#xa0;export customers&#xa0;». Voir --help.</translation>
    </message>
    <message>
        <source>import needs the CSV file: “import FILE”. See --help.</source>
        <translation>import a besoin du fichier CSV&#xa0;: «&#xa0;import FICHIER&#xa0;». Voir --help.</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”. See --help.</source>
        <translation>Argument inattendu «&#xa0;%1&#xa0;». Voir --help.</translation>
    </message>
    <message>
        <source>Use either --database or --demo, not both.</source>
        <translation>Utilisez soit --database, soit --demo, mais pas les deux.</translation>
    </message>
    <message>
        <source>--demo-user works only with --demo.</source>
        <translation>--demo-user ne fonctionne qu’avec --demo.</translation>
    </message>
    <message>
        <source>dispatch opens no window: it takes neither --demo nor --screenshot.</source>
        <translation>dispatch n’ouvre aucune fenêtre&#xa0;: la commande n’accepte ni --demo ni --screenshot.</translation>
    </message>
    <message>
        <source>dispatch needs the database: add --database FILE-OR-URL.</source>
        <translation>dispatch a besoin de la base de données&#xa0;: ajoutez --database FICHIER-OU-URL.</translation>
    </message>
    <message>
        <source>--interval takes a number of seconds from 1 to 86400.</source>
        <translation>--interval attend un nombre de secondes compris entre 1 et 86400.</translation>
    </message>
    <message>
        <source>--once, --smtp-password-file and --interval work only with dispatch.</source>
        <translation>--once, --smtp-password-file et --interval ne fonctionnent qu’avec dispatch.</translation>
    </message>
    <message>
        <source>%1 opens no window: it takes neither --demo, --demo-user nor --screenshot.</source>
        <translation>%1 n’ouvre aucune fenêtre&#xa0;: la commande n’accepte ni --demo, ni --demo-user, ni --screenshot.</translation>
    </message>
    <message>
        <source>%1 needs the database: add --database FILE-OR-URL.</source>
        <translation>%1 a besoin de la base de données&#xa0;: ajoutez --database FICHIER-OU-URL.</translation>
    </message>
    <message>
        <source>--user, --password-file and --membership work only with export and import.</source>
        <translation>--user, --password-file et --membership ne fonctionnent qu’avec export et import.</translation>
    </message>
    <message>
        <source>--format takes csv or xlsx, not “%1”.</source>
        <translation>--format attend csv ou xlsx, pas «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>--output needs a file name.</source>
        <translation>--output a besoin d’un nom de fichier.</translation>
    </message>
    <message>
        <source>--sort takes one of %1, not “%2”.</source>
        <translation>--sort attend l’une des valeurs %1, pas «&#xa0;%2&#xa0;».</translation>
    </message>
    <message>
        <source>--format, --output, --search, --sort and --descending work only with export.</source>
        <translation>--format, --output, --search, --sort et --descending ne fonctionnent qu’avec export.</translation>
    </message>
    <message>
        <source>--dry-run changes nothing and sends nothing: leave out --send-setup-emails.</source>
        <translation>--dry-run ne modifie rien et n’envoie rien&#xa0;: retirez --send-setup-emails.</translation>
    </message>
    <message>
        <source>--reseller, --direct, --plan, --paid, --dry-run and --send-setup-emails work only with import.</source>
        <translation>--reseller, --direct, --plan, --paid, --dry-run et --send-setup-emails ne fonctionnent qu’avec import.</translation>
    </message>
    <message>
        <source>Use this language instead of the system&apos;s: %1.</source>
        <translation>Utiliser cette langue au lieu de celle du système&#xa0;: %1.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>code</translation>
    </message>
    <message>
        <source>--lang takes one of %1, not “%2”.</source>
        <translation>--lang accepte l’une des valeurs %1, pas «&#xa0;%2&#xa0;».</translation>
    </message>
</context>
<context>
    <name>ConnectionProfile</name>
    <message>
        <source>No database was given.</source>
        <translation>Aucune base de données n’a été indiquée.</translation>
    </message>
    <message>
        <source>“%1” is neither a postgresql:// address nor an SQLite file path.</source>
        <translation>«&#xa0;%1&#xa0;» n’est ni une adresse postgresql:// ni un chemin de fichier SQLite.</translation>
    </message>
    <message>
        <source>The SQLite file path is empty.</source>
        <translation>Le chemin du fichier SQLite est vide.</translation>
    </message>
    <message>
        <source>The PostgreSQL address is not valid. Use postgresql://user:password@host:port/database.</source>
        <translation>L’adresse PostgreSQL n’est pas valide. Utilisez postgresql://user:password@host:port/database.</translation>
    </message>
    <message>
        <source>The PostgreSQL address names no database. Add it after the host, as in postgresql://user@host/resellerdesk.</source>
        <translation>L’adresse PostgreSQL ne désigne aucune base de données. Ajoutez-la après l’hôte, comme dans postgresql://user@host/resellerdesk.</translation>
    </message>
    <message>
        <source>The PostgreSQL port must be 1 to 65535.</source>
        <translation>Le port PostgreSQL doit être compris entre 1 et 65535.</translation>
    </message>
</context>
<context>
    <name>CredentialStore</name>
    <message>
        <source>No password is stored for this connection.</source>
        <translation>Aucun mot de passe n’est enregistré pour cette connexion.</translation>
    </message>
    <message>
        <source>This connection has no password to keep in the system keychain.</source>
        <translation>Cette connexion n’a pas de mot de passe à conserver dans le trousseau du système.</translation>
    </message>
    <message>
        <source>unknown error (code %1)</source>
        <translation>erreur inconnue (code %1)</translation>
    </message>
    <message>
        <source>The system keychain cannot be used: %1</source>
        <translation>Le trousseau du système ne peut pas être utilisé&#xa0;: %1</translation>
    </message>
    <message>
        <source>The system keychain did not answer before the program stopped waiting.</source>
        <translation>Le trousseau du système n’a pas répondu avant la fin du délai d’attente du programme.</translation>
    </message>
</context>
<context>
    <name>Currency</name>
    <message>
        <source>Choose a currency, like EUR.</source>
        <translation>Choisissez une devise, par exemple EUR.</translation>
    </message>
    <message>
        <source>“%1” is not a currency code: use three letters, like EUR.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un code de devise&#xa0;: utilisez trois lettres, par exemple EUR.</translation>
    </message>
    <message>
        <source>The currency “%1” is not supported.</source>
        <translation>La devise «&#xa0;%1&#xa0;» n’est pas prise en charge.</translation>
    </message>
</context>
<context>
    <name>CustomerExportService</name>
    <message>
        <source>The file %1 could not be created: %2</source>
        <translation>Le fichier %1 n’a pas pu être créé&#xa0;: %2</translation>
    </message>
    <message>
        <source>The file %1 could not be saved: %2</source>
        <translation>Le fichier %1 n’a pas pu être enregistré&#xa0;: %2</translation>
    </message>
    <message>
        <source>Writing the file %1 failed: %2</source>
        <translation>L’écriture du fichier %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <source>the workbook could not be started</source>
        <translation>le classeur n’a pas pu être créé</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>the worksheet could not be started</source>
        <translation>la feuille de calcul n’a pas pu être créée</translation>
    </message>
    <message>
        <source>The Excel file %1 could not be written: %2</source>
        <translation>Le fichier Excel %1 n’a pas pu être écrit&#xa0;: %2</translation>
    </message>
    <message>
        <source>An Excel worksheet holds at most %1 customers. Narrow the view with the search or the filters, or export CSV.</source>
        <translation>Une feuille Excel contient au plus %1 clients. Réduisez la vue avec la recherche ou les filtres, ou exportez en CSV.</translation>
    </message>
    <message>
        <source>Choose the file to export the customers to.</source>
        <translation>Choisissez le fichier vers lequel exporter les clients.</translation>
    </message>
    <message>
        <source>The view has %1 customers, and an Excel worksheet holds at most %2. Narrow the view with the search or the filters, or export CSV.</source>
        <translation>La vue compte %1 clients, et une feuille Excel en contient au plus %2. Réduisez la vue avec la recherche ou les filtres, ou exportez en CSV.</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Also assigned to</source>
        <translation>Également affecté à</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Liste de prix</translation>
    </message>
    <message>
        <source>Identifications / month</source>
        <translation>Identifications / mois</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <source>Direct account</source>
        <translation>Compte direct</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Essai expiré</translation>
    </message>
    <message>
        <source>Trial, 1 day left</source>
        <translation>Essai, 1 jour restant</translation>
    </message>
    <message>
        <source>Trial, %1 days left</source>
        <translation>Essai, %1 jours restants</translation>
    </message>
</context>
<context>
    <name>CustomerImportRepository</name>
    <message>
        <source>checking the email addresses</source>
        <translation>la vérification des adresses e-mail</translation>
    </message>
    <message>
        <source>saving the users</source>
        <translation>l’enregistrement des utilisateurs</translation>
    </message>
    <message>
        <source>saving the customers</source>
        <translation>l’enregistrement des clients</translation>
    </message>
    <message>
        <source>saving the memberships</source>
        <translation>l’enregistrement des accès</translation>
    </message>
    <message>
        <source>saving the assignments</source>
        <translation>l’enregistrement des affectations</translation>
    </message>
    <message>
        <source>queueing the emails</source>
        <translation>la mise en file d’attente des e-mails</translation>
    </message>
    <message>
        <source>writing the audit trail</source>
        <translation>l’écriture du journal d’audit</translation>
    </message>
</context>
<context>
    <name>CustomerImportService</name>
    <message>
        <source>The file cannot be read.</source>
        <translation>Le fichier ne peut pas être lu.</translation>
    </message>
    <message>
        <source>The file cannot be read to its end: %1</source>
        <translation>Le fichier ne peut pas être lu jusqu’au bout&#xa0;: %1</translation>
    </message>
    <message>
        <source>The file is not valid CSV: the record starting on line %1 has a double quote that does not open or close a quoted field properly. Correct the quoting (a quote inside a quoted field is written twice) and import it again. Nothing was imported.</source>
        <translation>Le fichier n’est pas un CSV valide&#xa0;: l’enregistrement qui commence à la ligne %1 contient un guillemet droit qui n’ouvre ou ne ferme pas correctement un champ entre guillemets. Corrigez les guillemets (un guillemet à l’intérieur d’un champ entre guillemets s’écrit deux fois) et importez le fichier à nouveau. Rien n’a été importé.</translation>
    </message>
    <message>
        <source>The file is empty. It needs a header row naming its columns (e.g. Company, Contact name, Email, Plan) and a row per customer.</source>
        <translation>Le fichier est vide. Il lui faut une ligne d’en-tête nommant ses colonnes (par exemple Company, Contact name, Email, Plan) et une ligne par client.</translation>
    </message>
    <message>
        <source>The file has a header row but no customers below it.</source>
        <translation>Le fichier a une ligne d’en-tête, mais aucun client en dessous.</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Site web</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Nom du contact</translation>
    </message>
    <message>
        <source>Contact email</source>
        <translation>E-mail du contact</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Trial or paid</source>
        <translation>Essai ou payant</translation>
    </message>
    <message>
        <source>No email</source>
        <translation>Pas d’e-mail</translation>
    </message>
    <message>
        <source>The column mapping names column %1, but the file has only %2 columns.</source>
        <translation>La correspondance des colonnes désigne la colonne %1, mais le fichier n’a que %2 colonnes.</translation>
    </message>
    <message>
        <source>Choose the column that holds the field “%1”.</source>
        <translation>Choisissez la colonne qui contient le champ «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Line %1 is not UTF-8 text (column %2). Save the file as UTF-8 CSV and import it again.</source>
        <translation>La ligne %1 n’est pas un texte UTF-8 (colonne %2). Enregistrez le fichier au format CSV UTF-8 et importez-le à nouveau.</translation>
    </message>
    <message>
        <source>The row has %1 columns; the header has %2.</source>
        <translation>La ligne compte %1 colonnes&#xa0;; l’en-tête en compte %2.</translation>
    </message>
    <message>
        <source>Enter the plan, or choose a plan for rows without one.</source>
        <translation>Indiquez le forfait, ou choisissez un forfait pour les lignes qui n’en ont pas.</translation>
    </message>
    <message>
        <source>There is no plan named “%1”.</source>
        <translation>Aucun forfait ne s’appelle «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>essai</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>payant</translation>
    </message>
    <message>
        <source>“%1” is neither trial nor paid.</source>
        <translation>«&#xa0;%1&#xa0;» n’est ni essai ni payant.</translation>
    </message>
    <message>
        <source>“%1” is not yes or no.</source>
        <translation>«&#xa0;%1&#xa0;» n’est ni oui ni non.</translation>
    </message>
    <message>
        <source>The email address %1 is already on line %2 of this file. Every login needs its own address.</source>
        <translation>L’adresse e-mail %1 figure déjà à la ligne %2 de ce fichier. Chaque identifiant a besoin de sa propre adresse.</translation>
    </message>
    <message>
        <source>The email address %1 is already used by another ResellerDesk login. Every login needs its own address.</source>
        <translation>L’adresse e-mail %1 est déjà utilisée par un autre identifiant ResellerDesk. Chaque identifiant a besoin de sa propre adresse.</translation>
    </message>
    <message>
        <source>The preview was made for another reseller portal. Check the file again.</source>
        <translation>L’aperçu a été établi pour un autre portail revendeur. Vérifiez à nouveau le fichier.</translation>
    </message>
    <message numerus="yes">
        <source>Lines %1 to %2 could not be saved: %3 The batch with these lines was undone; %n row(s) before it were imported.</source>
        <translation>
            <numerusform>Les lignes %1 à %2 n’ont pas pu être enregistrées&#xa0;: %3 Le lot contenant ces lignes a été annulé&#xa0;; %n ligne le précédant a été importée.</numerusform>
            <numerusform>Les lignes %1 à %2 n’ont pas pu être enregistrées&#xa0;: %3 Le lot contenant ces lignes a été annulé&#xa0;; les %n lignes le précédant ont été importées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
</context>
<context>
    <name>CustomerRepository</name>
    <message>
        <source>reading customers</source>
        <translation>la lecture des clients</translation>
    </message>
    <message>
        <source>saving the customer</source>
        <translation>l’enregistrement du client</translation>
    </message>
    <message>
        <source>reading a customer</source>
        <translation>la lecture d’un client</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Le client n’existe plus.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>archiving the customer</source>
        <translation>l’archivage du client</translation>
    </message>
    <message>
        <source>The customer was changed by someone else. Reload it and try again.</source>
        <translation>Le client a été modifié par quelqu’un d’autre. Rechargez-le et réessayez.</translation>
    </message>
    <message>
        <source>checking the domain</source>
        <translation>la vérification du domaine</translation>
    </message>
    <message>
        <source>reading the customers in scope</source>
        <translation>la lecture des clients du périmètre</translation>
    </message>
    <message>
        <source>counting customers</source>
        <translation>le comptage des clients</translation>
    </message>
    <message>
        <source>finding a customer in the list</source>
        <translation>la recherche d’un client dans la liste</translation>
    </message>
    <message>
        <source>reading the customer list&apos;s jump points</source>
        <translation>la lecture des points de saut de la liste des clients</translation>
    </message>
    <message>
        <source>saving the assignment</source>
        <translation>l’enregistrement de l’affectation</translation>
    </message>
    <message>
        <source>The customer is already assigned to this reseller, or already has an owner.</source>
        <translation>Le client est déjà affecté à ce revendeur, ou a déjà un propriétaire.</translation>
    </message>
    <message>
        <source>reading assignments</source>
        <translation>la lecture des affectations</translation>
    </message>
    <message>
        <source>reading the assignment history</source>
        <translation>la lecture de l’historique des affectations</translation>
    </message>
</context>
<context>
    <name>CustomerSearch</name>
    <message>
        <source>searching customers</source>
        <translation>la recherche de clients</translation>
    </message>
    <message>
        <source>counting customers</source>
        <translation>le comptage des clients</translation>
    </message>
</context>
<context>
    <name>CustomerService</name>
    <message>
        <source>The email address %1 is already used by another ResellerDesk login. Every login needs its own address; you could use %2.</source>
        <translation>L’adresse e-mail %1 est déjà utilisée par un autre identifiant ResellerDesk. Chaque identifiant a besoin de sa propre adresse&#xa0;; vous pourriez utiliser %2.</translation>
    </message>
    <message>
        <source>The email address %1 is already the login of %2. Every login needs its own address; you could use %3.</source>
        <translation>L’adresse e-mail %1 est déjà l’identifiant de %2. Chaque identifiant a besoin de sa propre adresse&#xa0;; vous pourriez utiliser %3.</translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Saisissez le nom de la société.</translation>
    </message>
    <message numerus="yes">
        <source>The company name may be at most %n characters.</source>
        <translation>
            <numerusform>Le nom de la société ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Le nom de la société ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Saisissez le nom du contact.</translation>
    </message>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>Le nom du contact ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Le nom du contact ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>You can add customers only to your own reseller portal.</source>
        <translation>Vous ne pouvez ajouter des clients qu’à votre propre portail revendeur.</translation>
    </message>
    <message>
        <source>Choose a plan.</source>
        <translation>Choisissez un forfait.</translation>
    </message>
    <message>
        <source>Only administrators can choose a customer&apos;s price list.</source>
        <translation>Seuls les administrateurs peuvent choisir la liste de prix d’un client.</translation>
    </message>
    <message>
        <source>The reseller no longer exists.</source>
        <translation>Le revendeur n’existe plus.</translation>
    </message>
    <message>
        <source>The reseller %1 is deactivated; it cannot take new customers.</source>
        <translation>Le revendeur %1 est désactivé&#xa0;; il ne peut pas recevoir de nouveaux clients.</translation>
    </message>
    <message>
        <source>The plan %1 is not offered by %2. Choose one of its plans.</source>
        <translation>Le forfait %1 n’est pas proposé par %2. Choisissez l’un de ses forfaits.</translation>
    </message>
    <message>
        <source>There is no default price list yet. An administrator needs to mark one as the default.</source>
        <translation>Il n’y a pas encore de liste de prix par défaut. Un administrateur doit en désigner une comme liste par défaut.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2.</source>
        <translation>La liste de prix %1 n’a pas de prix pour le forfait %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n other customer(s) already use the domain %1.</source>
        <translation>
            <numerusform>%n autre client utilise déjà le domaine %1.</numerusform>
            <numerusform>%n autres clients utilisent déjà le domaine %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Indiquez un motif&#xa0;; il est conservé dans le journal d’audit.</translation>
    </message>
    <message numerus="yes">
        <source>The reason may be at most %n characters.</source>
        <translation>
            <numerusform>Le motif ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Le motif ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>The trial settings in the database are not valid: %1 An administrator needs to correct them in the settings.</source>
        <translation>Les paramètres d’essai de la base de données ne sont pas valides&#xa0;: %1 Un administrateur doit les corriger dans les paramètres.</translation>
    </message>
    <message>
        <source>The plan %1 is not offered by the customer&apos;s reseller.</source>
        <translation>Le forfait %1 n’est pas proposé par le revendeur du client.</translation>
    </message>
    <message>
        <source>The customer&apos;s price list has no price for the plan %1.</source>
        <translation>La liste de prix du client n’a pas de prix pour le forfait %1.</translation>
    </message>
    <message>
        <source>Deactivate %1 before archiving it.</source>
        <translation>Désactivez %1 avant de l’archiver.</translation>
    </message>
    <message>
        <source>%1 has already chosen a password, so a setup email is not needed. They can reset their password instead.</source>
        <translation>%1 a déjà choisi un mot de passe&#xa0;: un e-mail de configuration n’est donc pas nécessaire. Cette personne peut plutôt réinitialiser son mot de passe.</translation>
    </message>
    <message>
        <source>%1 is already a paid account.</source>
        <translation>%1 est déjà un compte payant.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 n’est pas en essai.</translation>
    </message>
    <message>
        <source>Choose a price list.</source>
        <translation>Choisissez une liste de prix.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for %2&apos;s plan %3. Choose another list or change the plan first.</source>
        <translation>La liste de prix %1 n’a pas de prix pour le forfait %3 de %2. Choisissez une autre liste ou changez d’abord de forfait.</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>preparing a statement</source>
        <translation>la préparation d’une requête</translation>
    </message>
    <message>
        <source>The SQLite driver for Qt is not installed (package libqt6sql6-sqlite).</source>
        <translation>Le pilote SQLite pour Qt n’est pas installé (paquet libqt6sql6-sqlite).</translation>
    </message>
    <message>
        <source>No database file was given.</source>
        <translation>Aucun fichier de base de données n’a été indiqué.</translation>
    </message>
    <message>
        <source>“%1” is a folder, not a database file.</source>
        <translation>«&#xa0;%1&#xa0;» est un dossier, pas un fichier de base de données.</translation>
    </message>
    <message>
        <source>The folder of the database file “%1” does not exist.</source>
        <translation>Le dossier du fichier de base de données «&#xa0;%1&#xa0;» n’existe pas.</translation>
    </message>
    <message>
        <source>“%1” is not a ResellerDesk database: it is not an SQLite file, or its first page is damaged.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une base de données ResellerDesk&#xa0;: ce n’est pas un fichier SQLite, ou sa première page est endommagée.</translation>
    </message>
    <message>
        <source>Could not open the database file “%1”.</source>
        <translation>Impossible d’ouvrir le fichier de base de données «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The PostgreSQL driver for Qt is not installed (package libqt6sql6-psql).</source>
        <translation>Le pilote PostgreSQL pour Qt n’est pas installé (paquet libqt6sql6-psql).</translation>
    </message>
    <message>
        <source>The PostgreSQL server at %1 refused the user name or password for “%2”.</source>
        <translation>Le serveur PostgreSQL %1 a refusé le nom d’utilisateur ou le mot de passe de «&#xa0;%2&#xa0;».</translation>
    </message>
    <message>
        <source>The PostgreSQL server at %1 has no database “%2” (or no user “%3”).</source>
        <translation>Le serveur PostgreSQL %1 n’a pas de base de données «&#xa0;%2&#xa0;» (ou pas d’utilisateur «&#xa0;%3&#xa0;»).</translation>
    </message>
    <message>
        <source>Could not reach the PostgreSQL server at %1. Check the host, the port and that the server is running.</source>
        <translation>Impossible de joindre le serveur PostgreSQL %1. Vérifiez l’hôte, le port et que le serveur est bien démarré.</translation>
    </message>
    <message>
        <source>“%1” is damaged or is not a database file.</source>
        <translation>«&#xa0;%1&#xa0;» est endommagé ou n’est pas un fichier de base de données.</translation>
    </message>
    <message>
        <source>reading the database</source>
        <translation>la lecture de la base de données</translation>
    </message>
    <message>
        <source>switching the database to WAL mode</source>
        <translation>le passage de la base de données en mode WAL</translation>
    </message>
    <message>
        <source>The database file “%1” cannot use write-ahead logging (it is on a file system without shared memory, or read-only).</source>
        <translation>Le fichier de base de données «&#xa0;%1&#xa0;» ne peut pas utiliser la journalisation anticipée (WAL)&#xa0;: il se trouve sur un système de fichiers sans mémoire partagée, ou en lecture seule.</translation>
    </message>
    <message>
        <source>configuring the database</source>
        <translation>la configuration de la base de données</translation>
    </message>
    <message>
        <source>configuring the connection</source>
        <translation>la configuration de la connexion</translation>
    </message>
</context>
<context>
    <name>DemoData</name>
    <message>
        <source>Could not create the demo staff.</source>
        <translation>Impossible de créer le personnel de démonstration.</translation>
    </message>
    <message>
        <source>Could not create the demo resellers.</source>
        <translation>Impossible de créer les revendeurs de démonstration.</translation>
    </message>
</context>
<context>
    <name>DispatchCommand</name>
    <message>
        <source>There is no SMTP password file at “%1”.</source>
        <translation>Il n’y a pas de fichier de mot de passe SMTP à l’emplacement «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The SMTP password file “%1” can be read or changed by other users. Allow its owner only (chmod 600) and try again.</source>
        <translation>Le fichier de mot de passe SMTP «&#xa0;%1&#xa0;» peut être lu ou modifié par d’autres utilisateurs. Réservez-le à son propriétaire (chmod 600) et réessayez.</translation>
    </message>
    <message>
        <source>The SMTP password file “%1” cannot be read: %2</source>
        <translation>Le fichier de mot de passe SMTP «&#xa0;%1&#xa0;» ne peut pas être lu&#xa0;: %2</translation>
    </message>
    <message>
        <source>The first line of the SMTP password file “%1” is empty.</source>
        <translation>La première ligne du fichier de mot de passe SMTP «&#xa0;%1&#xa0;» est vide.</translation>
    </message>
    <message>
        <source>Email: %1 sent, %2 retried later, %3 failed, %4 unknown, %5 recovered.</source>
        <translation>E-mails&#xa0;: %1 envoyés, %2 à réessayer plus tard, %3 en échec, %4 au résultat inconnu, %5 récupérés.</translation>
    </message>
    <message>
        <source>There is no database at “%1”.</source>
        <translation>Il n’y a pas de base de données à l’emplacement «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The address has no password and the system keychain has none for it: %1</source>
        <translation>L’adresse ne contient pas de mot de passe et le trousseau du système n’en a aucun pour elle&#xa0;: %1</translation>
    </message>
    <message>
        <source>The keychain&apos;s entry for it is empty.</source>
        <translation>L’entrée du trousseau correspondante est vide.</translation>
    </message>
    <message>
        <source>The SMTP server %1:%2 needs the password of “%3”, and none is available: %4 Store it in the keychain from the desktop (Settings, Email) on this machine, or give --smtp-password-file.</source>
        <translation>Le serveur SMTP %1:%2 a besoin du mot de passe de «&#xa0;%3&#xa0;», et aucun n’est disponible&#xa0;: %4 Enregistrez-le dans le trousseau depuis l’application de bureau (Paramètres, E-mail) sur cette machine, ou indiquez --smtp-password-file.</translation>
    </message>
    <message>
        <source>Cannot watch for the stop signals.</source>
        <translation>Impossible de surveiller les signaux d’arrêt.</translation>
    </message>
    <message>
        <source>Email delivery is turned off in the settings of %1, so nothing is sent. An administrator turns it on in the desktop&apos;s settings (Email).</source>
        <translation>L’envoi des e-mails est désactivé dans les paramètres de %1&#xa0;: rien n’est donc envoyé. Un administrateur peut l’activer dans les paramètres de l’application de bureau (E-mail).</translation>
    </message>
    <message>
        <source>The SMTP settings of %1 cannot be used: %2</source>
        <translation>Les paramètres SMTP de %1 ne peuvent pas être utilisés&#xa0;: %2</translation>
    </message>
    <message>
        <source>Stopping after the message in hand.</source>
        <translation>Arrêt après le message en cours.</translation>
    </message>
    <message numerus="yes">
        <source>Delivering the email of %1 through %2:%3, looking every %n second(s); stop with SIGTERM or Ctrl+C.</source>
        <translation>
            <numerusform>Envoi des e-mails de %1 via %2:%3, vérification toutes les %n seconde&#xa0;; arrêtez avec SIGTERM ou Ctrl+C.</numerusform>
            <numerusform>Envoi des e-mails de %1 via %2:%3, vérification toutes les %n secondes&#xa0;; arrêtez avec SIGTERM ou Ctrl+C.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Dispatcher</name>
    <message>
        <source>The one-time code of this email is no longer stored; send a new one instead.</source>
        <translation>Le code à usage unique de cet e-mail n’est plus conservé&#xa0;; envoyez-en un nouveau.</translation>
    </message>
    <message>
        <source>No attempt is left; the last one failed: %1</source>
        <translation>Il ne reste aucune tentative&#xa0;; la dernière a échoué&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>DomainName</name>
    <message>
        <source>“%1” is not a valid domain: %2</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un domaine valide&#xa0;: %2</translation>
    </message>
    <message>
        <source>Enter a domain, like example.com.</source>
        <translation>Saisissez un domaine, par exemple example.com.</translation>
    </message>
    <message numerus="yes">
        <source>a domain may be at most %n characters.</source>
        <translation>
            <numerusform>un domaine ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>un domaine ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is an IP address. Enter a domain name, like example.com.</source>
        <translation>«&#xa0;%1&#xa0;» est une adresse IP. Saisissez un nom de domaine, par exemple example.com.</translation>
    </message>
    <message>
        <source>it cannot contain spaces.</source>
        <translation>il ne peut pas contenir d’espaces.</translation>
    </message>
    <message>
        <source>it cannot contain “%1”.</source>
        <translation>il ne peut pas contenir «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>it needs at least one dot, like example.com.</source>
        <translation>il doit contenir au moins un point, comme example.com.</translation>
    </message>
    <message>
        <source>it cannot start or end with a dot or have two dots in a row.</source>
        <translation>il ne peut pas commencer ni finir par un point, ni contenir deux points consécutifs.</translation>
    </message>
    <message>
        <source>a part between dots cannot start or end with a hyphen.</source>
        <translation>une partie entre deux points ne peut pas commencer ni finir par un trait d’union.</translation>
    </message>
    <message numerus="yes">
        <source>each part between dots may be at most %n characters.</source>
        <translation>
            <numerusform>chaque partie entre deux points peut compter au plus %n caractère.</numerusform>
            <numerusform>chaque partie entre deux points peut compter au plus %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” cannot be part of a domain name: it is too long in its ASCII form or uses characters a domain cannot have.</source>
        <translation>«&#xa0;%1&#xa0;» ne peut pas faire partie d’un nom de domaine&#xa0;: il est trop long sous sa forme ASCII ou utilise des caractères interdits dans un domaine.</translation>
    </message>
    <message>
        <source>it contains characters that cannot be used in a domain name.</source>
        <translation>il contient des caractères qui ne peuvent pas être utilisés dans un nom de domaine.</translation>
    </message>
    <message>
        <source>the last part cannot be digits only.</source>
        <translation>la dernière partie ne peut pas être composée uniquement de chiffres.</translation>
    </message>
    <message>
        <source>“%1” does not contain a domain, like example.com.</source>
        <translation>«&#xa0;%1&#xa0;» ne contient pas de domaine, comme example.com.</translation>
    </message>
</context>
<context>
    <name>EmailAddress</name>
    <message>
        <source>Enter an email address, like name@example.com.</source>
        <translation>Saisissez une adresse e-mail, par exemple nom@example.com.</translation>
    </message>
    <message>
        <source>An email address cannot contain spaces.</source>
        <translation>Une adresse e-mail ne peut pas contenir d’espaces.</translation>
    </message>
    <message>
        <source>The email address needs an @ followed by a domain, like name@example.com.</source>
        <translation>L’adresse e-mail doit contenir un @ suivi d’un domaine, par exemple nom@example.com.</translation>
    </message>
    <message>
        <source>An email address can contain only one @.</source>
        <translation>Une adresse e-mail ne peut contenir qu’un seul @.</translation>
    </message>
    <message>
        <source>The email address needs a name before the @, like name@example.com.</source>
        <translation>L’adresse e-mail doit avoir un nom avant le @, par exemple nom@example.com.</translation>
    </message>
    <message>
        <source>The part before the @ cannot contain “%1”.</source>
        <translation>La partie avant le @ ne peut pas contenir «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The part before the @ cannot start or end with a dot.</source>
        <translation>La partie avant le @ ne peut pas commencer ni finir par un point.</translation>
    </message>
    <message>
        <source>The part before the @ cannot contain two dots in a row.</source>
        <translation>La partie avant le @ ne peut pas contenir deux points consécutifs.</translation>
    </message>
    <message numerus="yes">
        <source>The part before the @ may be at most %n characters (letters beyond A–Z count as two to four).</source>
        <translation>
            <numerusform>La partie avant le @ ne peut pas dépasser %n caractère (les lettres hors A–Z comptent pour deux à quatre).</numerusform>
            <numerusform>La partie avant le @ ne peut pas dépasser %n caractères (les lettres hors A–Z comptent pour deux à quatre).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>An email address may be at most %n characters.</source>
        <translation>
            <numerusform>Une adresse e-mail ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Une adresse e-mail ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <source>Exported 1 customer to %1.</source>
        <translation>1 client exporté vers %1.</translation>
    </message>
    <message>
        <source>Exported %1 customers to %2.</source>
        <translation>%1 clients exportés vers %2.</translation>
    </message>
</context>
<context>
    <name>HeadlessSignIn</name>
    <message>
        <source>There is no password file at “%1”.</source>
        <translation>Il n’y a pas de fichier de mot de passe à l’emplacement «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The password file “%1” can be read or changed by other users. Allow its owner only (chmod 600) and try again.</source>
        <translation>Le fichier de mot de passe «&#xa0;%1&#xa0;» peut être lu ou modifié par d’autres utilisateurs. Réservez-le à son propriétaire (chmod 600) et réessayez.</translation>
    </message>
    <message>
        <source>The password file “%1” cannot be read: %2</source>
        <translation>Le fichier de mot de passe «&#xa0;%1&#xa0;» ne peut pas être lu&#xa0;: %2</translation>
    </message>
    <message>
        <source>The first line of the password file “%1” is empty.</source>
        <translation>La première ligne du fichier de mot de passe «&#xa0;%1&#xa0;» est vide.</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Mot de passe pour %1&#xa0;: </translation>
    </message>
    <message>
        <source>%1  %2</source>
        <translation>%1  %2</translation>
    </message>
    <message>
        <source>%1  %2 — %3</source>
        <translation>%1  %2 — %3</translation>
    </message>
    <message>
        <source>RESELLERDESK_PASSWORD is set but empty. Set it to the password of %1, or unset it to use --password-file, the keychain or a prompt.</source>
        <translation>RESELLERDESK_PASSWORD est défini mais vide. Donnez-lui le mot de passe de %1, ou supprimez-le pour utiliser --password-file, le trousseau ou une invite.</translation>
    </message>
    <message>
        <source>No password for %1: set RESELLERDESK_PASSWORD, give --password-file FILE, store it in the system keychain, or run the command on a terminal to be asked.%2</source>
        <translation>Aucun mot de passe pour %1&#xa0;: définissez RESELLERDESK_PASSWORD, indiquez --password-file FICHIER, enregistrez-le dans le trousseau du système, ou lancez la commande dans un terminal pour qu’il vous soit demandé.%2</translation>
    </message>
    <message>
        <source>Who signs in? Give --user EMAIL or set RESELLERDESK_USER.</source>
        <translation>Qui se connecte&#xa0;? Indiquez --user E-MAIL ou définissez RESELLERDESK_USER.</translation>
    </message>
    <message>
        <source>%1 signed in with a temporary password. Sign in once in the desktop to choose a password, then use that one here.</source>
        <translation>%1 s’est connecté avec un mot de passe temporaire. Connectez-vous une fois dans l’application de bureau pour choisir un mot de passe, puis utilisez celui-ci ici.</translation>
    </message>
    <message>
        <source>%1 has several memberships. Choose one with --membership ID-or-name:
%2</source>
        <translation>%1 a plusieurs accès. Choisissez-en un avec --membership ID-ou-nom&#xa0;:
%2</translation>
    </message>
    <message>
        <source>%1 has no membership “%2”. Choose one of these with --membership ID-or-name:
%3</source>
        <translation>%1 n’a pas d’accès «&#xa0;%2&#xa0;». Choisissez l’un de ceux-ci avec --membership ID-ou-nom&#xa0;:
%3</translation>
    </message>
    <message>
        <source>“%1” names several memberships of %2. Choose one by its number:
%3</source>
        <translation>«&#xa0;%1&#xa0;» désigne plusieurs accès de %2. Choisissez-en un par son numéro&#xa0;:
%3</translation>
    </message>
    <message>
        <source>There is no database at “%1”.</source>
        <translation>Il n’y a pas de base de données à l’emplacement «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The address has no password and the system keychain has none for it: %1</source>
        <translation>L’adresse ne contient pas de mot de passe et le trousseau du système n’en a aucun pour elle&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ImpersonationRepository</name>
    <message>
        <source>recording the Login As session</source>
        <translation>l’enregistrement de la session en tant que client</translation>
    </message>
    <message>
        <source>reading the Login As session</source>
        <translation>la lecture de la session en tant que client</translation>
    </message>
    <message>
        <source>The Login As session does not exist.</source>
        <translation>La session en tant que client n’existe pas.</translation>
    </message>
    <message>
        <source>ending the Login As session</source>
        <translation>la clôture de la session en tant que client</translation>
    </message>
    <message>
        <source>reading the Login As sessions</source>
        <translation>la lecture des sessions en tant que client</translation>
    </message>
</context>
<context>
    <name>ImpersonationService</name>
    <message>
        <source>You are already viewing a client with Login As. End that session before you start another.</source>
        <translation>Vous consultez déjà un client avec une connexion en tant que client. Terminez cette session avant d’en démarrer une autre.</translation>
    </message>
    <message>
        <source>No user of this account can be viewed with Login As: the account has no active client user below your role.</source>
        <translation>Aucun utilisateur de ce compte ne peut être consulté en tant que client&#xa0;: le compte n’a aucun utilisateur client actif d’un rôle inférieur au vôtre.</translation>
    </message>
    <message>
        <source>Only client users below your role can be viewed.</source>
        <translation>Seuls les utilisateurs clients d’un rôle inférieur au vôtre peuvent être consultés.</translation>
    </message>
    <message>
        <source>This is your own login: open the account with Switch Membership instead.</source>
        <translation>Il s’agit de votre propre identifiant&#xa0;: ouvrez plutôt le compte avec Changer d’accès.</translation>
    </message>
    <message>
        <source>This user&apos;s access to the account is deactivated.</source>
        <translation>L’accès de cet utilisateur au compte est désactivé.</translation>
    </message>
    <message>
        <source>%1 is also a %2 elsewhere, at or above your role, so you cannot view as them.</source>
        <translation>%1 est aussi %2 ailleurs, à un rôle égal ou supérieur au vôtre&#xa0;: vous ne pouvez donc pas vous connecter en son nom.</translation>
    </message>
    <message>
        <source>Say why you open this client&apos;s view; the reason is kept in the audit log.</source>
        <translation>Indiquez pourquoi vous ouvrez la vue de ce client&#xa0;; le motif est conservé dans le journal d’audit.</translation>
    </message>
    <message numerus="yes">
        <source>The reason is too long: at most %n characters.</source>
        <translation>
            <numerusform>Le motif est trop long&#xa0;: %n caractère au maximum.</numerusform>
            <numerusform>Le motif est trop long&#xa0;: %n caractères au maximum.</numerusform>
        </translation>
    </message>
    <message>
        <source>Login As opens client users only, never staff or reseller memberships.</source>
        <translation>La connexion en tant que client n’ouvre que des utilisateurs clients, jamais des accès du personnel ou des revendeurs.</translation>
    </message>
    <message>
        <source>The chosen user is not a user of this account.</source>
        <translation>L’utilisateur choisi n’est pas un utilisateur de ce compte.</translation>
    </message>
    <message>
        <source>This is not a Login As session.</source>
        <translation>Ce n’est pas une session en tant que client.</translation>
    </message>
    <message>
        <source>The Login As session does not exist.</source>
        <translation>La session en tant que client n’existe pas.</translation>
    </message>
</context>
<context>
    <name>ImportCommand</name>
    <message>
        <source>Usage: resellerdesk import FILE [--reseller NAME | --direct] [--plan NAME] [--paid] [--dry-run] [--send-setup-emails]</source>
        <translation>Utilisation&#xa0;: resellerdesk import FICHIER [--reseller NOM | --direct] [--plan NOM] [--paid] [--dry-run] [--send-setup-emails]</translation>
    </message>
    <message>
        <source>--plan needs the name of a plan.</source>
        <translation>--plan a besoin du nom d’un forfait.</translation>
    </message>
    <message>
        <source>--reseller needs the name of a reseller portal.</source>
        <translation>--reseller a besoin du nom d’un portail revendeur.</translation>
    </message>
    <message>
        <source>Unknown option %1.</source>
        <translation>Option inconnue %1.</translation>
    </message>
    <message>
        <source>Give one file to import; “%1” is one too many.</source>
        <translation>Indiquez un seul fichier à importer&#xa0;; «&#xa0;%1&#xa0;» est en trop.</translation>
    </message>
    <message>
        <source>Name the CSV file to import.</source>
        <translation>Indiquez le fichier CSV à importer.</translation>
    </message>
    <message>
        <source>Give either --reseller NAME or --direct: customers join one reseller portal, or none.</source>
        <translation>Indiquez soit --reseller NOM, soit --direct&#xa0;: les clients rejoignent un portail revendeur, ou aucun.</translation>
    </message>
    <message>
        <source>There is no reseller portal named “%1” that you can see. Check the name (as the Resellers page shows it).</source>
        <translation>Aucun portail revendeur visible pour vous ne s’appelle «&#xa0;%1&#xa0;». Vérifiez le nom (tel qu’il apparaît sur la page Revendeurs).</translation>
    </message>
    <message>
        <source>Name the reseller portal the customers join with --reseller NAME, or give --direct to make them direct accounts of the vendor.</source>
        <translation>Indiquez le portail revendeur que rejoignent les clients avec --reseller NOM, ou --direct pour en faire des comptes directs de l’éditeur.</translation>
    </message>
    <message>
        <source>There is no plan named “%1” for these customers. Plans offered: %2.</source>
        <translation>Aucun forfait nommé «&#xa0;%1&#xa0;» n’existe pour ces clients. Forfaits proposés&#xa0;: %2.</translation>
    </message>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>Le fichier %1 ne peut pas être ouvert&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Dry run, nothing was written. Rows: %1; would be imported: %2; refused: %3.</source>
        <translation>Simulation, rien n’a été écrit. Lignes&#xa0;: %1&#xa0;; seraient importées&#xa0;: %2&#xa0;; refusées&#xa0;: %3.</translation>
    </message>
    <message>
        <source>Rows: %1; imported: %2; refused: %3.</source>
        <translation>Lignes&#xa0;: %1&#xa0;; importées&#xa0;: %2&#xa0;; refusées&#xa0;: %3.</translation>
    </message>
</context>
<context>
    <name>LocalAuthenticator</name>
    <message>
        <source>Enter your name.</source>
        <translation>Saisissez votre nom.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>This database already has users: sign in instead. Only an administrator can add further users.</source>
        <translation>Cette base de données a déjà des utilisateurs&#xa0;: connectez-vous plutôt. Seul un administrateur peut ajouter d’autres utilisateurs.</translation>
    </message>
    <message>
        <source>First-run setup</source>
        <translation>Configuration initiale</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Saisissez votre mot de passe.</translation>
    </message>
    <message>
        <source>Your password is correct, but you have no active access: the reseller portal or client account you belong to has been deactivated. Ask your administrator.</source>
        <translation>Votre mot de passe est correct, mais vous n’avez aucun accès actif&#xa0;: le portail revendeur ou le compte client auquel vous appartenez a été désactivé. Adressez-vous à votre administrateur.</translation>
    </message>
    <message>
        <source>You cannot open this context: it is not one of your memberships.</source>
        <translation>Vous ne pouvez pas ouvrir ce contexte&#xa0;: il ne fait pas partie de vos accès.</translation>
    </message>
    <message>
        <source>Choose a new password before you continue.</source>
        <translation>Choisissez un nouveau mot de passe avant de continuer.</translation>
    </message>
    <message>
        <source>This reseller portal or client account is no longer active. Choose another one or ask your administrator.</source>
        <translation>Ce portail revendeur ou ce compte client n’est plus actif. Choisissez-en un autre ou adressez-vous à votre administrateur.</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>Le mot de passe actuel est incorrect.</translation>
    </message>
    <message>
        <source>The new password must be different from the current one.</source>
        <translation>Le nouveau mot de passe doit être différent de l’actuel.</translation>
    </message>
    <message>
        <source>During Login As no password can be changed. End the Login As session first.</source>
        <translation>Pendant une connexion en tant que client, aucun mot de passe ne peut être changé. Terminez d’abord la session en tant que client.</translation>
    </message>
    <message>
        <source>During Login As no password can be confirmed. End the Login As session first.</source>
        <translation>Pendant une connexion en tant que client, aucun mot de passe ne peut être confirmé. Terminez d’abord la session en tant que client.</translation>
    </message>
    <message>
        <source>The password is not correct.</source>
        <translation>Le mot de passe est incorrect.</translation>
    </message>
    <message>
        <source>The email address or password is not correct.</source>
        <translation>L’adresse e-mail ou le mot de passe est incorrect.</translation>
    </message>
    <message numerus="yes">
        <source>This account is locked after too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Ce compte est verrouillé après trop de tentatives infructueuses. Réessayez dans %n minute.</numerusform>
            <numerusform>Ce compte est verrouillé après trop de tentatives infructueuses. Réessayez dans %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>The temporary password has expired; ask for a new setup email.</source>
        <translation>Le mot de passe temporaire a expiré&#xa0;; demandez un nouvel e-mail de configuration.</translation>
    </message>
    <message>
        <source>This account has been archived and can no longer be used.</source>
        <translation>Ce compte a été archivé et ne peut plus être utilisé.</translation>
    </message>
</context>
<context>
    <name>LockoutPolicy</name>
    <message>
        <source>The number of failed sign-ins before an account is locked must be between 1 and %1.</source>
        <translation>Le nombre d’échecs de connexion avant le verrouillage d’un compte doit être compris entre 1 et %1.</translation>
    </message>
    <message>
        <source>The longest lock-out must be between %1 and %2.</source>
        <translation>Le verrouillage le plus long doit être compris entre %1 et %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
    <message>
        <source>The first lock-out must last at least %1 and no longer than the longest lock-out.</source>
        <translation>Le premier verrouillage doit durer au moins %1, sans dépasser le verrouillage le plus long.</translation>
    </message>
</context>
<context>
    <name>Membership</name>
    <message>
        <source>A membership must belong to an existing user.</source>
        <translation>Un accès doit appartenir à un utilisateur existant.</translation>
    </message>
    <message>
        <source>The %1 role belongs to the vendor and cannot be tied to a reseller portal or client account.</source>
        <translation>Le rôle %1 appartient à l’éditeur et ne peut pas être lié à un portail revendeur ni à un compte client.</translation>
    </message>
    <message>
        <source>The %1 role needs the reseller portal it applies to.</source>
        <translation>Le rôle %1 nécessite le portail revendeur auquel il s’applique.</translation>
    </message>
    <message>
        <source>The %1 role needs the client account it applies to.</source>
        <translation>Le rôle %1 nécessite le compte client auquel il s’applique.</translation>
    </message>
    <message>
        <source>As %1 you cannot add users or memberships.</source>
        <translation>En tant que %1, vous ne pouvez pas ajouter d’utilisateurs ni d’accès.</translation>
    </message>
    <message>
        <source>You cannot grant the %1 role: a membership can only have a role no higher than your own (%2).</source>
        <translation>Vous ne pouvez pas attribuer le rôle %1&#xa0;: un accès ne peut avoir qu’un rôle égal ou inférieur au vôtre (%2).</translation>
    </message>
</context>
<context>
    <name>MessageComposer</name>
    <message>
        <source>Your ResellerDesk account for %1</source>
        <translation>Votre compte ResellerDesk pour %1</translation>
    </message>
    <message>
        <source>Hello %1,

an account has been set up for %2.

Sign in to ResellerDesk with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5. You will choose your own password when you sign in; after that ResellerDesk opens your account&apos;s view with your plan, trial and usage.
</source>
        <translation>Bonjour %1,

un compte a été créé pour %2.

Connectez-vous à ResellerDesk avec
  e-mail&#xa0;: %3
  mot de passe temporaire&#xa0;: %4

Le mot de passe temporaire ne fonctionne qu’une fois et expire le %5. Vous choisirez votre propre mot de passe lors de la connexion&#xa0;; ensuite, ResellerDesk ouvrira la vue de votre compte avec votre forfait, votre essai et votre consommation.
</translation>
    </message>
    <message>
        <source>Your reseller portal %1 is ready</source>
        <translation>Votre portail revendeur %1 est prêt</translation>
    </message>
    <message>
        <source>Hello %1,

your reseller portal %2 has been created in ResellerDesk. Sign in as %3 with your usual password and choose &quot;%2&quot; to add and look after your own customers. Your account&apos;s own view stays available as before.
</source>
        <translation>Bonjour %1,

votre portail revendeur %2 a été créé dans ResellerDesk. Connectez-vous en tant que %3 avec votre mot de passe habituel et choisissez «&#xa0;%2&#xa0;» pour ajouter et suivre vos propres clients. La vue de votre compte reste disponible comme avant.
</translation>
    </message>
    <message>
        <source>You have been invited to ResellerDesk (%1)</source>
        <translation>Vous avez été invité à rejoindre ResellerDesk (%1)</translation>
    </message>
    <message>
        <source>Hello %1,

you now have access to %2 in ResellerDesk.

Sign in with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5; you will choose your own password when you sign in.
</source>
        <translation>Bonjour %1,

vous avez désormais accès à %2 dans ResellerDesk.

Connectez-vous avec
  e-mail&#xa0;: %3
  mot de passe temporaire&#xa0;: %4

Le mot de passe temporaire ne fonctionne qu’une fois et expire le %5&#xa0;; vous choisirez votre propre mot de passe lors de la connexion.
</translation>
    </message>
    <message>
        <source>You now have access to %1 in ResellerDesk</source>
        <translation>Vous avez désormais accès à %1 dans ResellerDesk</translation>
    </message>
    <message>
        <source>Hello %1,

you now also have access to %2 in ResellerDesk, as %3.

Sign in as usual with your email address %4 and your existing password, then choose %2 when ResellerDesk asks where to work.
</source>
        <translation>Bonjour %1,

vous avez désormais aussi accès à %2 dans ResellerDesk, en tant que %3.

Connectez-vous comme d’habitude avec votre adresse e-mail %4 et votre mot de passe actuel, puis choisissez %2 lorsque ResellerDesk vous demande où travailler.
</translation>
    </message>
    <message>
        <source>Your ResellerDesk password has been reset</source>
        <translation>Votre mot de passe ResellerDesk a été réinitialisé</translation>
    </message>
    <message>
        <source>Hello %1,

your ResellerDesk password (for %2) has been reset; the old password no longer works.

Sign in with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5; you will choose a new password when you sign in. If you did not ask for this, tell your administrator.
</source>
        <translation>Bonjour %1,

votre mot de passe ResellerDesk (pour %2) a été réinitialisé&#xa0;; l’ancien mot de passe ne fonctionne plus.

Connectez-vous avec
  e-mail&#xa0;: %3
  mot de passe temporaire&#xa0;: %4

Le mot de passe temporaire ne fonctionne qu’une fois et expire le %5&#xa0;; vous choisirez un nouveau mot de passe lors de la connexion. Si vous n’avez rien demandé, prévenez votre administrateur.
</translation>
    </message>
    <message>
        <source>Support opened your ResellerDesk account %1</source>
        <translation>Le support a ouvert votre compte ResellerDesk %1</translation>
    </message>
    <message>
        <source>Hello %1,

%2 opened the ResellerDesk view of %3 on your behalf at %4 (until %5 at the latest).

Reason given: %6

Everything done during this visit is recorded in your account&apos;s audit trail. If you did not expect this, contact your reseller.
</source>
        <translation>Bonjour %1,

%2 a ouvert la vue ResellerDesk de %3 en votre nom le %4 (jusqu’au %5 au plus tard).

Motif indiqué&#xa0;: %6

Tout ce qui a été fait pendant cette visite est enregistré dans l’historique d’audit de votre compte. Si vous ne vous y attendiez pas, contactez votre revendeur.
</translation>
    </message>
    <message>
        <source>Your ResellerDesk trial for %1 ends soon</source>
        <translation>Votre essai ResellerDesk pour %1 se termine bientôt</translation>
    </message>
    <message>
        <source>Hello %1,

the free trial of %2 ends on %3. Contact your reseller to continue with a paid plan.
</source>
        <translation>Bonjour %1,

l’essai gratuit de %2 se termine le %3. Contactez votre revendeur pour continuer avec un forfait payant.
</translation>
    </message>
</context>
<context>
    <name>MigrationRunner</name>
    <message>
        <source>The migration file “%1” is not named NNNN_name.sql.</source>
        <translation>Le fichier de migration «&#xa0;%1&#xa0;» ne suit pas le modèle NNNN_nom.sql.</translation>
    </message>
    <message>
        <source>The migration file “%1” cannot be read.</source>
        <translation>Le fichier de migration «&#xa0;%1&#xa0;» ne peut pas être lu.</translation>
    </message>
    <message>
        <source>Two migrations have the number %1.</source>
        <translation>Deux migrations portent le numéro %1.</translation>
    </message>
    <message>
        <source>reading the schema</source>
        <translation>la lecture du schéma</translation>
    </message>
    <message>
        <source>“%1” already holds tables that are not a ResellerDesk database. Choose an empty database or a ResellerDesk one.</source>
        <translation>«&#xa0;%1&#xa0;» contient déjà des tables qui ne forment pas une base de données ResellerDesk. Choisissez une base vide ou une base ResellerDesk.</translation>
    </message>
    <message>
        <source>reading the schema version</source>
        <translation>la lecture de la version du schéma</translation>
    </message>
    <message>
        <source>“%1” was written by a newer ResellerDesk (schema version %2; this version knows up to %3). Update ResellerDesk to open it; nothing was changed.</source>
        <translation>«&#xa0;%1&#xa0;» a été écrit par une version plus récente de ResellerDesk (version de schéma %2&#xa0;; cette version connaît au plus la %3). Mettez ResellerDesk à jour pour l’ouvrir&#xa0;; rien n’a été modifié.</translation>
    </message>
    <message>
        <source>“%1” has schema version %2 and needs upgrading to %3.</source>
        <translation>«&#xa0;%1&#xa0;» est en version de schéma %2 et doit être mis à niveau vers la version %3.</translation>
    </message>
    <message>
        <source>A backup named “%1” already exists; try again in a second.</source>
        <translation>Une sauvegarde nommée «&#xa0;%1&#xa0;» existe déjà&#xa0;; réessayez dans une seconde.</translation>
    </message>
    <message>
        <source>Could not back up the database to “%1” before upgrading it; the database was not changed.</source>
        <translation>Impossible de sauvegarder la base de données dans «&#xa0;%1&#xa0;» avant sa mise à niveau&#xa0;; la base de données n’a pas été modifiée.</translation>
    </message>
    <message>
        <source>upgrading the database to schema version %1</source>
        <translation>la mise à niveau de la base de données vers la version de schéma %1</translation>
    </message>
    <message>
        <source>Upgrading the database to schema version %1 (%2) failed; the upgrade was rolled back and nothing was changed.</source>
        <translation>La mise à niveau de la base de données vers la version de schéma %1 (%2) a échoué&#xa0;; elle a été annulée et rien n’a été modifié.</translation>
    </message>
</context>
<context>
    <name>MimeMessage</name>
    <message>
        <source>This email header must not contain line breaks or control characters.</source>
        <translation>Cet en-tête d’e-mail ne doit pas contenir de sauts de ligne ni de caractères de contrôle.</translation>
    </message>
    <message>
        <source>“%1” has non-ASCII letters before the @, which the mail server cannot accept.</source>
        <translation>«&#xa0;%1&#xa0;» contient des lettres non ASCII avant le @, que le serveur de messagerie ne peut pas accepter.</translation>
    </message>
    <message>
        <source>The email has no valid date.</source>
        <translation>L’e-mail n’a pas de date valide.</translation>
    </message>
    <message>
        <source>The email has no outbox id.</source>
        <translation>L’e-mail n’a pas d’identifiant de boîte d’envoi.</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>The amount is too large.</source>
        <translation>Le montant est trop élevé.</translation>
    </message>
    <message>
        <source>Enter an amount, like 1234.56.</source>
        <translation>Saisissez un montant, par exemple 1234.56.</translation>
    </message>
    <message>
        <source>“%1” is not an amount: use digits and a &apos;.&apos; before the decimals, like 1234.56.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un montant&#xa0;: utilisez des chiffres et un «&#xa0;.&#xa0;» avant les décimales, par exemple 1234.56.</translation>
    </message>
    <message>
        <source>The amount “%1” is too large.</source>
        <translation>Le montant «&#xa0;%1&#xa0;» est trop élevé.</translation>
    </message>
    <message>
        <source>%1 amounts have no decimal places.</source>
        <translation>Les montants en %1 n’ont pas de décimales.</translation>
    </message>
    <message numerus="yes">
        <source>%1 amounts have at most %n decimal places.</source>
        <translation>
            <numerusform>Les montants en %1 ont au plus %n décimale.</numerusform>
            <numerusform>Les montants en %1 ont au plus %n décimales.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot add an amount in %1 to one in %2.</source>
        <translation>Impossible d’ajouter un montant en %1 à un montant en %2.</translation>
    </message>
    <message>
        <source>The total is too large.</source>
        <translation>Le total est trop élevé.</translation>
    </message>
    <message>
        <source>Cannot subtract an amount in %1 from one in %2.</source>
        <translation>Impossible de soustraire un montant en %1 d’un montant en %2.</translation>
    </message>
    <message>
        <source>The result is too large.</source>
        <translation>Le résultat est trop élevé.</translation>
    </message>
</context>
<context>
    <name>OrderRepository</name>
    <message>
        <source>saving the order</source>
        <translation>l’enregistrement de la commande</translation>
    </message>
    <message>
        <source>reading orders</source>
        <translation>la lecture des commandes</translation>
    </message>
</context>
<context>
    <name>OutboxRepository</name>
    <message>
        <source>The email was changed by someone else meanwhile (sent, resent or cancelled). Reload the outbox to see its state.</source>
        <translation>L’e-mail a été modifié par quelqu’un d’autre entre-temps (envoyé, renvoyé ou annulé). Rechargez la boîte d’envoi pour voir son état.</translation>
    </message>
    <message>
        <source>queueing an email</source>
        <translation>la mise en file d’attente d’un e-mail</translation>
    </message>
    <message>
        <source>reading the outbox</source>
        <translation>la lecture de la boîte d’envoi</translation>
    </message>
    <message>
        <source>The queued email no longer exists.</source>
        <translation>L’e-mail en attente n’existe plus.</translation>
    </message>
    <message>
        <source>claiming queued email</source>
        <translation>la prise en charge des e-mails en attente</translation>
    </message>
    <message>
        <source>The email was changed by someone else while it was being sent (cancelled, or recovered after its lease expired).</source>
        <translation>L’e-mail a été modifié par quelqu’un d’autre pendant son envoi (annulé, ou récupéré après l’expiration de son bail).</translation>
    </message>
    <message>
        <source>recording a sent email</source>
        <translation>l’enregistrement d’un e-mail envoyé</translation>
    </message>
    <message>
        <source>recording a delayed email</source>
        <translation>l’enregistrement d’un e-mail différé</translation>
    </message>
    <message>
        <source>recording a failed email</source>
        <translation>l’enregistrement d’un e-mail en échec</translation>
    </message>
    <message>
        <source>recording an email of unknown outcome</source>
        <translation>l’enregistrement d’un e-mail au résultat inconnu</translation>
    </message>
    <message>
        <source>The sender stopped while delivering this email (its lease expired); it may or may not have been sent. It is not sent again automatically.</source>
        <translation>L’expéditeur s’est arrêté pendant l’envoi de cet e-mail (son bail a expiré)&#xa0;; il a pu être envoyé ou non. Il n’est pas renvoyé automatiquement.</translation>
    </message>
    <message>
        <source>recovering interrupted email</source>
        <translation>la récupération des e-mails interrompus</translation>
    </message>
    <message>
        <source>counting the outbox</source>
        <translation>le comptage de la boîte d’envoi</translation>
    </message>
    <message>
        <source>This email is still waiting to be sent; it does not need a resend.</source>
        <translation>Cet e-mail attend encore d’être envoyé&#xa0;; il n’a pas besoin d’être renvoyé.</translation>
    </message>
    <message>
        <source>This email is being sent right now.</source>
        <translation>Cet e-mail est en cours d’envoi.</translation>
    </message>
    <message>
        <source>This email has been sent; sending it again would deliver it twice.</source>
        <translation>Cet e-mail a été envoyé&#xa0;; le renvoyer le remettrait en double.</translation>
    </message>
    <message>
        <source>This email carried a one-time code, which was removed when the email was cancelled, so it cannot be sent again. Use Resend Setup Email (customers) or Reset Password (users) to send a new code.</source>
        <translation>Cet e-mail contenait un code à usage unique, supprimé lors de l’annulation de l’e-mail&#xa0;: il ne peut donc pas être renvoyé. Utilisez Renvoyer l’e-mail de configuration (clients) ou Réinitialiser le mot de passe (utilisateurs) pour envoyer un nouveau code.</translation>
    </message>
    <message>
        <source>This email is being sent right now and cannot be cancelled. Try again when the attempt has finished.</source>
        <translation>Cet e-mail est en cours d’envoi et ne peut pas être annulé. Réessayez une fois la tentative terminée.</translation>
    </message>
    <message>
        <source>This email has been sent already; it can no longer be cancelled.</source>
        <translation>Cet e-mail a déjà été envoyé&#xa0;; il ne peut plus être annulé.</translation>
    </message>
    <message>
        <source>This email is cancelled already.</source>
        <translation>Cet e-mail est déjà annulé.</translation>
    </message>
    <message>
        <source>queueing an email again</source>
        <translation>la remise en file d’attente d’un e-mail</translation>
    </message>
    <message>
        <source>cancelling queued email</source>
        <translation>l’annulation d’un e-mail en attente</translation>
    </message>
</context>
<context>
    <name>OutboxService</name>
    <message>
        <source>This message does not exist or is not in your scope.</source>
        <translation>Ce message n’existe pas ou ne fait pas partie de votre périmètre.</translation>
    </message>
    <message>
        <source>Your role lets you see this email but not resend or cancel it; that takes the right to manage the customer or user it concerns.</source>
        <translation>Votre rôle vous permet de voir cet e-mail, mais pas de le renvoyer ni de l’annuler&#xa0;; il faut pour cela le droit de gérer le client ou l’utilisateur concerné.</translation>
    </message>
</context>
<context>
    <name>PasswordHasher</name>
    <message numerus="yes">
        <source>A password needs at least %n characters.</source>
        <translation>
            <numerusform>Un mot de passe doit comporter au moins %n caractère.</numerusform>
            <numerusform>Un mot de passe doit comporter au moins %n caractères.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A password may be at most %n characters.</source>
        <translation>
            <numerusform>Un mot de passe ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Un mot de passe ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>The password could not be hashed: not enough memory.</source>
        <translation>Le mot de passe n’a pas pu être haché&#xa0;: mémoire insuffisante.</translation>
    </message>
</context>
<context>
    <name>PhoneNumber</name>
    <message>
        <source>Enter a phone number.</source>
        <translation>Saisissez un numéro de téléphone.</translation>
    </message>
    <message numerus="yes">
        <source>A phone number may be at most %n characters.</source>
        <translation>
            <numerusform>Un numéro de téléphone ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Un numéro de téléphone ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” does not start with a known country code.</source>
        <translation>«&#xa0;%1&#xa0;» ne commence pas par un indicatif de pays connu.</translation>
    </message>
    <message>
        <source>“%1” is too short to be a phone number.</source>
        <translation>«&#xa0;%1&#xa0;» est trop court pour être un numéro de téléphone.</translation>
    </message>
    <message>
        <source>“%1” is too long to be a phone number.</source>
        <translation>«&#xa0;%1&#xa0;» est trop long pour être un numéro de téléphone.</translation>
    </message>
    <message>
        <source>Enter the number with its country code, like +49 30 1234567.</source>
        <translation>Saisissez le numéro avec son indicatif de pays, par exemple +49 30 1234567.</translation>
    </message>
    <message>
        <source>“%1” is not a phone number.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un numéro de téléphone.</translation>
    </message>
    <message>
        <source>Enter the phone number without an extension (“%1”).</source>
        <translation>Saisissez le numéro de téléphone sans numéro de poste («&#xa0;%1&#xa0;»).</translation>
    </message>
    <message>
        <source>“%1” needs its area code.</source>
        <translation>«&#xa0;%1&#xa0;» nécessite son indicatif régional.</translation>
    </message>
    <message>
        <source>“%1” is not a valid phone number. Check the digits and the country code.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un numéro de téléphone valide. Vérifiez les chiffres et l’indicatif de pays.</translation>
    </message>
</context>
<context>
    <name>ResellerRepository</name>
    <message>
        <source>saving the reseller</source>
        <translation>l’enregistrement du revendeur</translation>
    </message>
    <message>
        <source>A reseller named %1 exists.</source>
        <translation>Un revendeur nommé %1 existe déjà.</translation>
    </message>
    <message>
        <source>reading a reseller</source>
        <translation>la lecture d’un revendeur</translation>
    </message>
    <message>
        <source>The reseller no longer exists.</source>
        <translation>Le revendeur n’existe plus.</translation>
    </message>
    <message>
        <source>The reseller %1 was changed by someone else. Reload it and make your change again.</source>
        <translation>Le revendeur %1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>saving the reseller&apos;s plans</source>
        <translation>l’enregistrement des forfaits du revendeur</translation>
    </message>
    <message>
        <source>reading the reseller&apos;s plans</source>
        <translation>la lecture des forfaits du revendeur</translation>
    </message>
    <message>
        <source>reading resellers</source>
        <translation>la lecture des revendeurs</translation>
    </message>
    <message>
        <source>reading the resellers&apos; plans</source>
        <translation>la lecture des forfaits des revendeurs</translation>
    </message>
    <message>
        <source>checking the reseller&apos;s name</source>
        <translation>la vérification du nom du revendeur</translation>
    </message>
    <message>
        <source>reading a price list</source>
        <translation>la lecture d’une liste de prix</translation>
    </message>
    <message>
        <source>checking plans</source>
        <translation>la vérification des forfaits</translation>
    </message>
</context>
<context>
    <name>ResellerService</name>
    <message>
        <source>Enter the reseller&apos;s name.</source>
        <translation>Saisissez le nom du revendeur.</translation>
    </message>
    <message>
        <source>Reseller name</source>
        <translation>Nom du revendeur</translation>
    </message>
    <message>
        <source>The commission rate must be between 0 % and 100 %.</source>
        <translation>Le taux de commission doit être compris entre 0&#xa0;% et 100&#xa0;%.</translation>
    </message>
    <message>
        <source>The override rate must be between 0 % and 100 %.</source>
        <translation>Le taux de surcommission doit être compris entre 0&#xa0;% et 100&#xa0;%.</translation>
    </message>
    <message>
        <source>Choose the price list this reseller&apos;s customers are priced on.</source>
        <translation>Choisissez la liste de prix sur laquelle sont tarifés les clients de ce revendeur.</translation>
    </message>
    <message>
        <source>Choose at least one plan the reseller offers.</source>
        <translation>Choisissez au moins un forfait proposé par le revendeur.</translation>
    </message>
    <message>
        <source>A reseller cannot be its own parent.</source>
        <translation>Un revendeur ne peut pas être son propre parent.</translation>
    </message>
    <message>
        <source>The parent reseller does not exist.</source>
        <translation>Le revendeur parent n’existe pas.</translation>
    </message>
    <message>
        <source>The parent reseller %1 is inactive. Choose an active one.</source>
        <translation>Le revendeur parent %1 est inactif. Choisissez-en un actif.</translation>
    </message>
    <message>
        <source>%1 cannot be the parent: it is a sub-portal of this reseller.</source>
        <translation>%1 ne peut pas être le parent&#xa0;: c’est un sous-portail de ce revendeur.</translation>
    </message>
    <message>
        <source>A reseller named “%1” already exists. Choose another name.</source>
        <translation>Un revendeur nommé «&#xa0;%1&#xa0;» existe déjà. Choisissez un autre nom.</translation>
    </message>
    <message>
        <source>The chosen price list does not exist or was archived.</source>
        <translation>La liste de prix choisie n’existe pas ou a été archivée.</translation>
    </message>
    <message numerus="yes">
        <source>%n of the chosen plans no longer exist or were archived.</source>
        <translation>
            <numerusform>%n des forfaits choisis n’existe plus ou a été archivé.</numerusform>
            <numerusform>%n des forfaits choisis n’existent plus ou ont été archivés.</numerusform>
        </translation>
    </message>
    <message>
        <source>The reseller %1 was changed by someone else. Reload it and make your change again.</source>
        <translation>Le revendeur %1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>Give a reason for deactivating the reseller.</source>
        <translation>Indiquez le motif de la désactivation du revendeur.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <source>Reseller Admin</source>
        <translation>Administrateur revendeur</translation>
    </message>
    <message>
        <source>Reseller Manager</source>
        <translation>Gestionnaire revendeur</translation>
    </message>
    <message>
        <source>Reseller User</source>
        <translation>Utilisateur revendeur</translation>
    </message>
    <message>
        <source>Client Admin</source>
        <translation>Administrateur client</translation>
    </message>
    <message>
        <source>Client User</source>
        <translation>Utilisateur client</translation>
    </message>
</context>
<context>
    <name>ScopeRepository</name>
    <message>
        <source>checking access to a customer</source>
        <translation>la vérification de l’accès à un client</translation>
    </message>
    <message>
        <source>checking access to a reseller</source>
        <translation>la vérification de l’accès à un revendeur</translation>
    </message>
    <message>
        <source>checking access to customers</source>
        <translation>la vérification de l’accès aux clients</translation>
    </message>
</context>
<context>
    <name>SettingsRepository</name>
    <message>
        <source>The settings were changed by someone else in the meantime. Reload them and make your change again.</source>
        <translation>Les paramètres ont été modifiés par quelqu’un d’autre entre-temps. Rechargez-les et refaites votre modification.</translation>
    </message>
    <message>
        <source>reading the settings</source>
        <translation>la lecture des paramètres</translation>
    </message>
    <message>
        <source>saving the settings</source>
        <translation>l’enregistrement des paramètres</translation>
    </message>
</context>
<context>
    <name>SettingsService</name>
    <message>
        <source>A Login As session must last between %1 and %2 minutes.</source>
        <translation>Une session en tant que client doit durer entre %1 et %2 minutes.</translation>
    </message>
    <message>
        <source>Settings cannot be changed during Login As.</source>
        <translation>Les paramètres ne peuvent pas être modifiés pendant une connexion en tant que client.</translation>
    </message>
</context>
<context>
    <name>SmtpSettings</name>
    <message>
        <source>Enter the mail server that delivers the email, like smtp.example.com.</source>
        <translation>Saisissez le serveur de messagerie qui envoie les e-mails, par exemple smtp.example.com.</translation>
    </message>
    <message>
        <source>“%1” is not a server name or IP address, like smtp.example.com.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de serveur ni une adresse IP, comme smtp.example.com.</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535; %1 is usual for this kind of connection.</source>
        <translation>Le port doit être compris entre 1 et 65535&#xa0;; %1 est habituel pour ce type de connexion.</translation>
    </message>
    <message numerus="yes">
        <source>The user name may have at most %n characters and no line breaks.</source>
        <translation>
            <numerusform>Le nom d’utilisateur peut comporter au plus %n caractère, sans saut de ligne.</numerusform>
            <numerusform>Le nom d’utilisateur peut comporter au plus %n caractères, sans saut de ligne.</numerusform>
        </translation>
    </message>
    <message>
        <source>Without encryption the password would cross the network in plain text. Choose STARTTLS or TLS, or allow this explicitly.</source>
        <translation>Sans chiffrement, le mot de passe circulerait en clair sur le réseau. Choisissez STARTTLS ou TLS, ou autorisez-le explicitement.</translation>
    </message>
    <message>
        <source>Enter the address the email is sent from.</source>
        <translation>Saisissez l’adresse d’expédition des e-mails.</translation>
    </message>
    <message>
        <source>The sender address cannot begin or end with spaces.</source>
        <translation>L’adresse de l’expéditeur ne peut pas commencer ni finir par des espaces.</translation>
    </message>
    <message>
        <source>The sender name cannot contain line breaks or control characters.</source>
        <translation>Le nom de l’expéditeur ne peut pas contenir de sauts de ligne ni de caractères de contrôle.</translation>
    </message>
    <message numerus="yes">
        <source>The sender name may have at most %n characters.</source>
        <translation>
            <numerusform>Le nom de l’expéditeur peut comporter au plus %n caractère.</numerusform>
            <numerusform>Le nom de l’expéditeur peut comporter au plus %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the path of a PEM file with the extra certificates, or leave it empty to trust the system&apos;s certificates only.</source>
        <translation>Saisissez le chemin d’un fichier PEM contenant les certificats supplémentaires, ou laissez vide pour ne faire confiance qu’aux certificats du système.</translation>
    </message>
</context>
<context>
    <name>SmtpTransport</name>
    <message>
        <source>TLS is not available on this computer.</source>
        <translation>TLS n’est pas disponible sur cet ordinateur.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read or holds no certificate.</source>
        <translation>Le fichier de certificats d’autorité «&#xa0;%1&#xa0;» ne peut pas être lu ou ne contient aucun certificat.</translation>
    </message>
    <message numerus="yes">
        <source>no answer within %n second(s)</source>
        <translation>
            <numerusform>aucune réponse en %n seconde</numerusform>
            <numerusform>aucune réponse en %n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot connect to the mail server %1:%2: %3</source>
        <translation>Impossible de se connecter au serveur de messagerie %1:%2&#xa0;: %3</translation>
    </message>
    <message>
        <source>The mail server %1 does not offer STARTTLS, which this profile requires.</source>
        <translation>Le serveur de messagerie %1 ne propose pas STARTTLS, qu’exige ce profil.</translation>
    </message>
    <message>
        <source>The mail server sent unexpected data before the TLS handshake.</source>
        <translation>Le serveur de messagerie a envoyé des données inattendues avant la négociation TLS.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed: %2</source>
        <translation>La négociation TLS avec %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <source>The password is not sent over an unencrypted connection: choose STARTTLS or TLS for this mail server.</source>
        <translation>Le mot de passe n’est pas envoyé sur une connexion non chiffrée&#xa0;: choisissez STARTTLS ou TLS pour ce serveur de messagerie.</translation>
    </message>
    <message>
        <source>The mail server offers no sign-in method ResellerDesk supports (PLAIN or LOGIN).</source>
        <translation>Le serveur de messagerie ne propose aucune méthode d’authentification prise en charge par ResellerDesk (PLAIN ou LOGIN).</translation>
    </message>
    <message>
        <source>The mail server refused %1: %2</source>
        <translation>Le serveur de messagerie a refusé %1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>No answer from the mail server within %n second(s) (%1).</source>
        <translation>
            <numerusform>Aucune réponse du serveur de messagerie en %n seconde (%1).</numerusform>
            <numerusform>Aucune réponse du serveur de messagerie en %n secondes (%1).</numerusform>
        </translation>
    </message>
    <message>
        <source>The mail server closed the connection (%1).</source>
        <translation>Le serveur de messagerie a fermé la connexion (%1).</translation>
    </message>
    <message>
        <source>The mail server&apos;s answer is not valid SMTP (%1).</source>
        <translation>La réponse du serveur de messagerie n’est pas du SMTP valide (%1).</translation>
    </message>
    <message>
        <source>The message may have been delivered.</source>
        <translation>Le message a peut-être été remis.</translation>
    </message>
    <message>
        <source>No mail server is set up.</source>
        <translation>Aucun serveur de messagerie n’est configuré.</translation>
    </message>
</context>
<context>
    <name>SqlErrors</name>
    <message>
        <source>Could not finish %1: the value is already in use.</source>
        <translation>Impossible de mener à bien %1&#xa0;: la valeur est déjà utilisée.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database file is damaged.</source>
        <translation>Impossible de mener à bien %1&#xa0;: le fichier de base de données est endommagé.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database is busy. Try again.</source>
        <translation>Impossible de mener à bien %1&#xa0;: la base de données est occupée. Réessayez.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database reported an error.</source>
        <translation>Impossible de mener à bien %1&#xa0;: la base de données a signalé une erreur.</translation>
    </message>
</context>
<context>
    <name>TransferRepository</name>
    <message>
        <source>locking customers</source>
        <translation>le verrouillage des clients</translation>
    </message>
    <message>
        <source>reading customers</source>
        <translation>la lecture des clients</translation>
    </message>
    <message>
        <source>reading a customer</source>
        <translation>la lecture d’un client</translation>
    </message>
    <message>
        <source>reading assignments</source>
        <translation>la lecture des affectations</translation>
    </message>
    <message>
        <source>reading a reseller</source>
        <translation>la lecture d’un revendeur</translation>
    </message>
    <message>
        <source>reading resellers</source>
        <translation>la lecture des revendeurs</translation>
    </message>
    <message>
        <source>ending assignments</source>
        <translation>la clôture des affectations</translation>
    </message>
    <message>
        <source>saving the customer&apos;s owner</source>
        <translation>l’enregistrement du propriétaire du client</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Le client n’existe plus.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>saving the assignments</source>
        <translation>l’enregistrement des affectations</translation>
    </message>
    <message>
        <source>A customer is already assigned to this reseller, or already has an owner. Reload and try again.</source>
        <translation>Un client est déjà affecté à ce revendeur, ou a déjà un propriétaire. Rechargez et réessayez.</translation>
    </message>
    <message>
        <source>saving the customers&apos; owner</source>
        <translation>l’enregistrement du propriétaire des clients</translation>
    </message>
    <message>
        <source>writing the audit trail</source>
        <translation>l’écriture du journal d’audit</translation>
    </message>
</context>
<context>
    <name>TransferService</name>
    <message>
        <source>The assignments of %1 were changed by someone else. Reload and try again.</source>
        <translation>Les affectations de %1 ont été modifiées par quelqu’un d’autre. Rechargez et réessayez.</translation>
    </message>
    <message>
        <source>The assignments of some of the selected customers were changed by someone else. Reload and try again.</source>
        <translation>Les affectations de certains des clients sélectionnés ont été modifiées par quelqu’un d’autre. Rechargez et réessayez.</translation>
    </message>
    <message>
        <source>The plan no longer exists. Choose another plan for %1 first.</source>
        <translation>Le forfait n’existe plus. Choisissez d’abord un autre forfait pour %1.</translation>
    </message>
    <message>
        <source>%1 does not offer the plan %2. Choose one of its plans for %3 first.</source>
        <translation>%1 ne propose pas le forfait %2. Choisissez d’abord l’un de ses forfaits pour %3.</translation>
    </message>
    <message>
        <source>The price list %1 of %2 has no price for the plan %3. Choose another plan first.</source>
        <translation>La liste de prix %1 de %2 n’a pas de prix pour le forfait %3. Choisissez d’abord un autre forfait.</translation>
    </message>
    <message>
        <source> (portal)</source>
        <translation> (portail)</translation>
    </message>
    <message>
        <source> (portal %1)</source>
        <translation> (portail %1)</translation>
    </message>
    <message>
        <source>No free name for a reseller portal of %1 was found. Rename the resellers named after it and try again.</source>
        <translation>Aucun nom libre n’a été trouvé pour un portail revendeur de %1. Renommez les revendeurs qui portent son nom et réessayez.</translation>
    </message>
    <message>
        <source>%1 is inactive. Only active customers can be migrated to a reseller portal.</source>
        <translation>%1 est inactif. Seuls les clients actifs peuvent être migrés vers un portail revendeur.</translation>
    </message>
    <message>
        <source>%1 was already migrated to its own reseller portal. A customer migrates once.</source>
        <translation>%1 a déjà été migré vers son propre portail revendeur. Un client ne migre qu’une fois.</translation>
    </message>
    <message>
        <source>%1 has no primary user who could run the reseller portal.</source>
        <translation>%1 n’a pas d’utilisateur principal capable de gérer le portail revendeur.</translation>
    </message>
    <message>
        <source>The primary user of %1 was archived; they cannot run the reseller portal.</source>
        <translation>L’utilisateur principal de %1 a été archivé&#xa0;; il ne peut pas gérer le portail revendeur.</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Le client n’existe plus.</translation>
    </message>
    <message>
        <source>Select at least one customer to clone.</source>
        <translation>Sélectionnez au moins un client à cloner.</translation>
    </message>
    <message>
        <source>The price list goes with ownership: switch to the target&apos;s price list only when the current assignments end and the target becomes the owner.</source>
        <translation>La liste de prix suit la propriété&#xa0;: ne passez à la liste de prix de la cible que si les affectations actuelles prennent fin et que la cible devient propriétaire.</translation>
    </message>
    <message>
        <source>The target reseller does not exist.</source>
        <translation>Le revendeur cible n’existe pas.</translation>
    </message>
    <message>
        <source>The reseller %1 is deactivated; it cannot take customers. Choose an active reseller.</source>
        <translation>Le revendeur %1 est désactivé&#xa0;; il ne peut pas recevoir de clients. Choisissez un revendeur actif.</translation>
    </message>
    <message>
        <source>%1 uses the default price list, and there is none. Keep the customers&apos; price lists.</source>
        <translation>%1 utilise la liste de prix par défaut, et il n’y en a aucune. Conservez les listes de prix des clients.</translation>
    </message>
    <message>
        <source>The customer is inactive; inactive customers are not cloned.</source>
        <translation>Le client est inactif&#xa0;; les clients inactifs ne sont pas clonés.</translation>
    </message>
    <message>
        <source>The customer is already assigned to %1.</source>
        <translation>Le client est déjà affecté à %1.</translation>
    </message>
    <message>
        <source>%1 does not offer the customer&apos;s plan %2. Move the customer with one of its plans instead.</source>
        <translation>%1 ne propose pas le forfait %2 du client. Déplacez plutôt le client avec l’un de ses forfaits.</translation>
    </message>
    <message>
        <source>The price list %1 of %2 has no price for the customer&apos;s plan %3. Keep the customer&apos;s price list, or move the customer with another plan.</source>
        <translation>La liste de prix %1 de %2 n’a pas de prix pour le forfait %3 du client. Conservez la liste de prix du client, ou déplacez le client avec un autre forfait.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 a été modifié par quelqu’un d’autre. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>%1 is already owned by %2. Choose another reseller.</source>
        <translation>%1 appartient déjà à %2. Choisissez un autre revendeur.</translation>
    </message>
    <message>
        <source>%1 is already a direct account. Choose a reseller.</source>
        <translation>%1 est déjà un compte direct. Choisissez un revendeur.</translation>
    </message>
    <message>
        <source>Portal name</source>
        <translation>Nom du portail</translation>
    </message>
    <message>
        <source>The commission rate must be between 0 % and 100 %.</source>
        <translation>Le taux de commission doit être compris entre 0&#xa0;% et 100&#xa0;%.</translation>
    </message>
    <message>
        <source>There is already a reseller named %1. Choose another name for the portal.</source>
        <translation>Il existe déjà un revendeur nommé %1. Choisissez un autre nom pour le portail.</translation>
    </message>
</context>
<context>
    <name>TrialPolicy</name>
    <message>
        <source>The trial length must be between 1 and %1 days.</source>
        <translation>La durée de l’essai doit être comprise entre 1 et %1 jours.</translation>
    </message>
    <message>
        <source>The trial budget must be between 1 and %1 identifications.</source>
        <translation>Le quota d’essai doit être compris entre 1 et %1 identifications.</translation>
    </message>
    <message>
        <source>The reminder must be due at least 1 day before the trial ends and less than the trial length (%1 days) before it.</source>
        <translation>Le rappel doit intervenir au moins 1 jour avant la fin de l’essai, et moins longtemps avant que la durée de l’essai (%1 jours).</translation>
    </message>
    <message>
        <source>The longest single trial extension must be between 1 and %1 days.</source>
        <translation>La plus longue prolongation unique d’un essai doit être comprise entre 1 et %1 jours.</translation>
    </message>
    <message>
        <source>The longest total trial must be at least the trial length (%1 days) and at most %2 days.</source>
        <translation>La durée totale maximale d’un essai doit être au moins égale à la durée de l’essai (%1 jours) et d’au plus %2 jours.</translation>
    </message>
    <message>
        <source>The highest trial budget must be at least the trial budget (%1) and at most %2 identifications.</source>
        <translation>Le quota d’essai maximal doit être au moins égal au quota d’essai (%1) et d’au plus %2 identifications.</translation>
    </message>
    <message>
        <source>The trial&apos;s dates are missing or invalid.</source>
        <translation>Les dates de l’essai sont manquantes ou non valides.</translation>
    </message>
    <message>
        <source>A trial can be extended by 1 to %1 days at a time.</source>
        <translation>Un essai peut être prolongé de 1 à %1 jours à la fois.</translation>
    </message>
    <message>
        <source>A trial can last at most %1 days after the account was created; this trial cannot be extended any further.</source>
        <translation>Un essai peut durer au plus %1 jours après la création du compte&#xa0;; cet essai ne peut plus être prolongé.</translation>
    </message>
    <message numerus="yes">
        <source>A trial can last at most %1 days after the account was created; this trial can be extended by at most %n more day(s).</source>
        <translation>
            <numerusform>Un essai peut durer au plus %1 jours après la création du compte&#xa0;; cet essai peut encore être prolongé de %n jour au plus.</numerusform>
            <numerusform>Un essai peut durer au plus %1 jours après la création du compte&#xa0;; cet essai peut encore être prolongé de %n jours au plus.</numerusform>
        </translation>
    </message>
    <message>
        <source>A trial budget can only be raised: enter more than the current %1 identifications.</source>
        <translation>Un quota d’essai ne peut qu’être augmenté&#xa0;: saisissez plus que les %1 identifications actuelles.</translation>
    </message>
    <message>
        <source>A trial budget can be at most %1 identifications.</source>
        <translation>Un quota d’essai peut atteindre au plus %1 identifications.</translation>
    </message>
</context>
<context>
    <name>UsageRepository</name>
    <message>
        <source>reading usage</source>
        <translation>la lecture de la consommation</translation>
    </message>
    <message>
        <source>recording usage</source>
        <translation>l’enregistrement de la consommation</translation>
    </message>
</context>
<context>
    <name>UserRepository</name>
    <message>
        <source>A membership has an unknown role “%1”.</source>
        <translation>Un accès a un rôle inconnu «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>saving the user</source>
        <translation>l’enregistrement de l’utilisateur</translation>
    </message>
    <message>
        <source>A user with the email address %1 already exists.</source>
        <translation>Un utilisateur avec l’adresse e-mail %1 existe déjà.</translation>
    </message>
    <message>
        <source>reading a user</source>
        <translation>la lecture d’un utilisateur</translation>
    </message>
    <message>
        <source>The user no longer exists.</source>
        <translation>L’utilisateur n’existe plus.</translation>
    </message>
    <message>
        <source>looking up a user</source>
        <translation>la recherche d’un utilisateur</translation>
    </message>
    <message>
        <source>saving the membership</source>
        <translation>l’enregistrement de l’accès</translation>
    </message>
    <message>
        <source>The user already has a membership in this context.</source>
        <translation>L’utilisateur a déjà un accès dans ce contexte.</translation>
    </message>
    <message>
        <source>reading memberships</source>
        <translation>la lecture des accès</translation>
    </message>
    <message>
        <source>reading a membership</source>
        <translation>la lecture d’un accès</translation>
    </message>
    <message>
        <source>The membership no longer exists.</source>
        <translation>L’accès n’existe plus.</translation>
    </message>
    <message>
        <source>reading the users</source>
        <translation>la lecture des utilisateurs</translation>
    </message>
    <message>
        <source>counting the users</source>
        <translation>le comptage des utilisateurs</translation>
    </message>
    <message>
        <source>finding a user in the list</source>
        <translation>la recherche d’un utilisateur dans la liste</translation>
    </message>
    <message>
        <source>The membership was changed by someone else in the meantime. Reload it and make your change again.</source>
        <translation>L’accès a été modifié par quelqu’un d’autre entre-temps. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>counting users</source>
        <translation>le comptage des utilisateurs</translation>
    </message>
    <message>
        <source>locking the users</source>
        <translation>le verrouillage des utilisateurs</translation>
    </message>
    <message>
        <source>recording a failed sign-in</source>
        <translation>l’enregistrement d’un échec de connexion</translation>
    </message>
    <message>
        <source>locking the account</source>
        <translation>le verrouillage du compte</translation>
    </message>
    <message>
        <source>recording the sign-in</source>
        <translation>l’enregistrement de la connexion</translation>
    </message>
    <message>
        <source>resetting the failed sign-ins</source>
        <translation>la réinitialisation des échecs de connexion</translation>
    </message>
    <message>
        <source>saving the password</source>
        <translation>l’enregistrement du mot de passe</translation>
    </message>
    <message>
        <source>The user was changed by someone else in the meantime. Please try again.</source>
        <translation>L’utilisateur a été modifié par quelqu’un d’autre entre-temps. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>saving the setup code</source>
        <translation>l’enregistrement du code de configuration</translation>
    </message>
    <message>
        <source>resetting the password</source>
        <translation>la réinitialisation du mot de passe</translation>
    </message>
</context>
<context>
    <name>UserService</name>
    <message>
        <source>Users and memberships cannot be changed during Login As. Close the client view and make the change as yourself.</source>
        <translation>Les utilisateurs et les accès ne peuvent pas être modifiés pendant une connexion en tant que client. Fermez la vue client et faites la modification en votre propre nom.</translation>
    </message>
    <message>
        <source>The membership does not exist or is not in your scope.</source>
        <translation>L’accès n’existe pas ou ne fait pas partie de votre périmètre.</translation>
    </message>
    <message>
        <source>Vendor administration</source>
        <translation>Administration de l’éditeur</translation>
    </message>
    <message>
        <source>Only administrators can add %1 memberships.</source>
        <translation>Seuls les administrateurs peuvent ajouter des accès %1.</translation>
    </message>
    <message>
        <source>The %1 role belongs to the vendor and cannot be tied to a reseller portal or client account.</source>
        <translation>Le rôle %1 appartient à l’éditeur et ne peut pas être lié à un portail revendeur ni à un compte client.</translation>
    </message>
    <message>
        <source>Choose the reseller portal for the new user.</source>
        <translation>Choisissez le portail revendeur du nouvel utilisateur.</translation>
    </message>
    <message>
        <source>Choose the client account for the new user.</source>
        <translation>Choisissez le compte client du nouvel utilisateur.</translation>
    </message>
    <message>
        <source>You can add users only to your own reseller portal, with a reseller role.</source>
        <translation>Vous ne pouvez ajouter des utilisateurs qu’à votre propre portail revendeur, avec un rôle revendeur.</translation>
    </message>
    <message>
        <source>You can add users only to your own client account, with a client role.</source>
        <translation>Vous ne pouvez ajouter des utilisateurs qu’à votre propre compte client, avec un rôle client.</translation>
    </message>
    <message numerus="yes">
        <source>The name may be at most %n characters.</source>
        <translation>
            <numerusform>Le nom ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>Le nom ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>The reseller portal %1 is deactivated; it cannot get new users.</source>
        <translation>Le portail revendeur %1 est désactivé&#xa0;; il ne peut pas recevoir de nouveaux utilisateurs.</translation>
    </message>
    <message>
        <source>The client account %1 is deactivated; it cannot get new users.</source>
        <translation>Le compte client %1 est désactivé&#xa0;; il ne peut pas recevoir de nouveaux utilisateurs.</translation>
    </message>
    <message>
        <source>The login %1 is archived and cannot get new memberships.</source>
        <translation>L’identifiant %1 est archivé et ne peut pas recevoir de nouveaux accès.</translation>
    </message>
    <message>
        <source>%1 already has a membership in %2 (as %3). A login has at most one membership per context.</source>
        <translation>%1 a déjà un accès à %2 (en tant que %3). Un identifiant a au plus un accès par contexte.</translation>
    </message>
    <message>
        <source>%1 already has a deactivated membership in %2 (as %3). Reactivate it instead of adding another one.</source>
        <translation>%1 a déjà un accès désactivé à %2 (en tant que %3). Réactivez-le au lieu d’en ajouter un autre.</translation>
    </message>
    <message>
        <source>Enter the new user&apos;s name.</source>
        <translation>Saisissez le nom du nouvel utilisateur.</translation>
    </message>
    <message>
        <source>%1 already has a membership in %2. A login has at most one membership per context.</source>
        <translation>%1 a déjà un accès à %2. Un identifiant a au plus un accès par contexte.</translation>
    </message>
    <message>
        <source>A page of users has between 0 and %1 rows; %2 were asked for.</source>
        <translation>Une page d’utilisateurs compte entre 0 et %1 lignes&#xa0;; %2 ont été demandées.</translation>
    </message>
    <message numerus="yes">
        <source>The filter may be at most %n characters; shorten it.</source>
        <translation>
            <numerusform>Le filtre ne peut pas dépasser %n caractère&#xa0;; raccourcissez-le.</numerusform>
            <numerusform>Le filtre ne peut pas dépasser %n caractères&#xa0;; raccourcissez-le.</numerusform>
        </translation>
    </message>
    <message>
        <source>Give a reason for deactivating the membership.</source>
        <translation>Indiquez le motif de la désactivation de l’accès.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>You cannot deactivate or reactivate your own membership; another user manager has to do it.</source>
        <translation>Vous ne pouvez pas désactiver ni réactiver votre propre accès&#xa0;; un autre gestionnaire d’utilisateurs doit le faire.</translation>
    </message>
    <message>
        <source>This membership has the %1 role, which is higher than yours (%2); you cannot change it.</source>
        <translation>Cet accès a le rôle %1, supérieur au vôtre (%2)&#xa0;; vous ne pouvez pas le modifier.</translation>
    </message>
    <message>
        <source>The membership was changed by someone else in the meantime. Reload it and make your change again.</source>
        <translation>L’accès a été modifié par quelqu’un d’autre entre-temps. Rechargez-le et refaites votre modification.</translation>
    </message>
    <message>
        <source>You cannot change your own role; another user manager has to do it.</source>
        <translation>Vous ne pouvez pas changer votre propre rôle&#xa0;; un autre gestionnaire d’utilisateurs doit le faire.</translation>
    </message>
    <message>
        <source>A %1 membership cannot become %2: the new role must belong to the same kind of context (vendor, reseller portal or client account).</source>
        <translation>Un accès %1 ne peut pas devenir %2&#xa0;: le nouveau rôle doit appartenir au même type de contexte (éditeur, portail revendeur ou compte client).</translation>
    </message>
    <message>
        <source>You cannot reset your own password here; change it from your own account instead.</source>
        <translation>Vous ne pouvez pas réinitialiser votre propre mot de passe ici&#xa0;; changez-le plutôt depuis votre propre compte.</translation>
    </message>
    <message>
        <source>%1 also has the %2 role, which is higher than yours (%3); only someone at that level can reset their password.</source>
        <translation>%1 a aussi le rôle %2, supérieur au vôtre (%3)&#xa0;; seule une personne de ce niveau peut réinitialiser son mot de passe.</translation>
    </message>
    <message>
        <source>%1 also works in another reseller portal or client account, so only an administrator can reset their password.</source>
        <translation>%1 travaille aussi dans un autre portail revendeur ou compte client&#xa0;: seul un administrateur peut donc réinitialiser son mot de passe.</translation>
    </message>
</context>
<context>
    <name>WriteTransaction</name>
    <message>
        <source>A change is already in progress on this connection.</source>
        <translation>Une modification est déjà en cours sur cette connexion.</translation>
    </message>
    <message>
        <source>starting a change</source>
        <translation>le démarrage d’une modification</translation>
    </message>
    <message>
        <source>The change was already finished.</source>
        <translation>La modification était déjà terminée.</translation>
    </message>
    <message>
        <source>saving the change</source>
        <translation>l’enregistrement de la modification</translation>
    </message>
    <message>
        <source>undoing the change</source>
        <translation>l’annulation de la modification</translation>
    </message>
</context>
<context>
    <name>rd::AboutDialog</name>
    <message>
        <source>About ResellerDesk</source>
        <translation>À propos de ResellerDesk</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Licensed under the MIT License.</source>
        <translation>Distribué sous licence MIT.</translation>
    </message>
    <message>
        <source>Library versions</source>
        <translation>Versions des bibliothèques</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothèque</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>&amp;Copy Version Information</source>
        <translation>&amp;Copier les informations de version</translation>
    </message>
    <message>
        <source>Copy the versions as text, for a support request</source>
        <translation>Copier les versions sous forme de texte, pour une demande d’assistance</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>rd::AddCustomerWizard</name>
    <message>
        <source>Add Customer</source>
        <translation>Ajouter un client</translation>
    </message>
    <message>
        <source>&amp;Create customer</source>
        <translation>&amp;Créer le client</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>Créer le client</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The customer was not created</source>
        <translation>Le client n’a pas été créé</translation>
    </message>
</context>
<context>
    <name>rd::AddUserDialog</name>
    <message>
        <source>Works for the vendor, across every reseller and customer.</source>
        <translation>Travaille pour l’éditeur, sur l’ensemble des revendeurs et des clients.</translation>
    </message>
    <message>
        <source>Works in one reseller portal.</source>
        <translation>Travaille dans un portail revendeur.</translation>
    </message>
    <message>
        <source>Works in one client account.</source>
        <translation>Travaille dans un compte client.</translation>
    </message>
    <message>
        <source>New User</source>
        <translation>Nouvel utilisateur</translation>
    </message>
    <message>
        <source>The user signs in with this email address. If it already has a login, that login gets access here too and keeps its name and password.</source>
        <translation>L’utilisateur se connecte avec cette adresse e-mail. Si elle correspond déjà à un identifiant, celui-ci obtient aussi un accès ici et conserve son nom et son mot de passe.</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nom@example.com</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Needed when the email has no login yet</source>
        <translation>Nécessaire si l’e-mail n’a pas encore d’identifiant</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Portail revendeur</translation>
    </message>
    <message>
        <source>Choose a portal</source>
        <translation>Choisissez un portail</translation>
    </message>
    <message>
        <source>Client account</source>
        <translation>Compte client</translation>
    </message>
    <message>
        <source>Search client accounts</source>
        <translation>Rechercher des comptes clients</translation>
    </message>
    <message>
        <source>Search company, domain, contact or email</source>
        <translation>Rechercher une société, un domaine, un contact ou un e-mail</translation>
    </message>
    <message>
        <source>Matching client accounts</source>
        <translation>Comptes clients correspondants</translation>
    </message>
    <message>
        <source>Send &amp;invitation email</source>
        <translation>Envoyer un e-mail d’&amp;invitation</translation>
    </message>
    <message>
        <source>&amp;Email address:</source>
        <translation>Adresse &amp;e-mail&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rôle&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Add User</source>
        <translation>&amp;Ajouter l’utilisateur</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Contexte&#xa0;:</translation>
    </message>
    <message>
        <source>Reseller &amp;portal:</source>
        <translation>&amp;Portail revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Client account:</source>
        <translation>Compte client&#xa0;:</translation>
    </message>
    <message>
        <source>Client acc&amp;ount:</source>
        <translation>C&amp;ompte client&#xa0;:</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Direct account; contact %1</source>
        <translation>Compte direct&#xa0;; contact %1</translation>
    </message>
    <message>
        <source>Reseller %1; contact %2</source>
        <translation>Revendeur %1&#xa0;; contact %2</translation>
    </message>
    <message>
        <source>%1 (deactivated)</source>
        <translation>%1 (désactivé)</translation>
    </message>
    <message>
        <source>No client account matches.</source>
        <translation>Aucun compte client ne correspond.</translation>
    </message>
    <message>
        <source>Showing %1 of %2 accounts; type more to narrow the list.</source>
        <translation>%1 comptes affichés sur %2&#xa0;; saisissez davantage de caractères pour affiner la liste.</translation>
    </message>
    <message>
        <source>1 account matches.</source>
        <translation>1 compte correspond.</translation>
    </message>
    <message numerus="yes">
        <source>%n accounts match.</source>
        <translation>
            <numerusform>%n compte correspond.</numerusform>
            <numerusform>%n comptes correspondent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your role cannot add users.</source>
        <translation>Votre rôle ne permet pas d’ajouter des utilisateurs.</translation>
    </message>
    <message>
        <source>Enter the user&apos;s email address.</source>
        <translation>Saisissez l’adresse e-mail de l’utilisateur.</translation>
    </message>
    <message>
        <source>There is no active reseller portal to add the user to.</source>
        <translation>Il n’y a aucun portail revendeur actif auquel ajouter l’utilisateur.</translation>
    </message>
    <message>
        <source>Choose the reseller portal.</source>
        <translation>Choisissez le portail revendeur.</translation>
    </message>
    <message>
        <source>Find the client account and choose it in the list.</source>
        <translation>Recherchez le compte client et choisissez-le dans la liste.</translation>
    </message>
    <message>
        <source>A new login gets a one-time code to choose its password.</source>
        <translation>Un nouvel identifiant reçoit un code à usage unique pour choisir son mot de passe.</translation>
    </message>
    <message>
        <source>Nothing is sent: a new login can sign in after Reset Password.</source>
        <translation>Rien n’est envoyé&#xa0;: un nouvel identifiant pourra se connecter après «&#xa0;Réinitialiser le mot de passe&#xa0;».</translation>
    </message>
    <message>
        <source>%1 already had a login, so the membership (%2 in %3) was added to the existing login. An email about the new access is queued.</source>
        <translation>%1 avait déjà un identifiant&#xa0;: l’accès (%2 dans %3) a donc été ajouté à l’identifiant existant. Un e-mail concernant ce nouvel accès est en file d’attente.</translation>
    </message>
    <message>
        <source>%1 already had a login, so the membership (%2 in %3) was added to the existing login. No email was sent.</source>
        <translation>%1 avait déjà un identifiant&#xa0;: l’accès (%2 dans %3) a donc été ajouté à l’identifiant existant. Aucun e-mail n’a été envoyé.</translation>
    </message>
    <message>
        <source>%1 was added as %2 in %3. An invitation with a one-time code is queued.</source>
        <translation>%1 a été ajouté en tant que %2 dans %3. Une invitation avec un code à usage unique est en file d’attente.</translation>
    </message>
    <message>
        <source>%1 was added as %2 in %3. No invitation was sent; use Reset Password when they should sign in.</source>
        <translation>%1 a été ajouté en tant que %2 dans %3. Aucune invitation n’a été envoyée&#xa0;; utilisez Réinitialiser le mot de passe lorsque cette personne devra se connecter.</translation>
    </message>
</context>
<context>
    <name>rd::Appearance</name>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Apparence</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>Sys&amp;tème</translation>
    </message>
    <message>
        <source>The colours the desktop uses</source>
        <translation>Les couleurs qu’utilise le bureau</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Clair</translation>
    </message>
    <message>
        <source>Dark text on light backgrounds</source>
        <translation>Texte foncé sur fond clair</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Sombre</translation>
    </message>
    <message>
        <source>Light text on dark backgrounds</source>
        <translation>Texte clair sur fond sombre</translation>
    </message>
</context>
<context>
    <name>rd::AuditEventDialog</name>
    <message>
        <source>Audit Event %1</source>
        <translation>Événement d’audit %1</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Heure&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (UTC %2)</source>
        <translation>%1 (UTC %2)</translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation>Auteur&#xa0;:</translation>
    </message>
    <message>
        <source>Login As by:</source>
        <translation>Connecté comme client par&#xa0;:</translation>
    </message>
    <message>
        <source>— (not made during Login As)</source>
        <translation>— (hors connexion en tant que client)</translation>
    </message>
    <message>
        <source>%1, viewing as %2 with Login As</source>
        <translation>%1, connecté en tant que %2</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Action&#xa0;:</translation>
    </message>
    <message>
        <source>Entity:</source>
        <translation>Entité&#xa0;:</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Client&#xa0;:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>Lot&#xa0;:</translation>
    </message>
    <message>
        <source>Fields before and after</source>
        <translation>Champs avant et après</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>modifié</translation>
    </message>
    <message>
        <source>This event records no field values.</source>
        <translation>Cet événement n’enregistre aucune valeur de champ.</translation>
    </message>
    <message>
        <source>&amp;Fields:</source>
        <translation>&amp;Champs&#xa0;:</translation>
    </message>
</context>
<context>
    <name>rd::AuditLogPage</name>
    <message>
        <source>Any</source>
        <translation>Indifférent</translation>
    </message>
    <message>
        <source>Filter by actor</source>
        <translation>Filtrer par auteur</translation>
    </message>
    <message>
        <source>Part of a name or email</source>
        <translation>Partie d’un nom ou d’un e-mail</translation>
    </message>
    <message>
        <source>Filter by who used Login As</source>
        <translation>Filtrer par personne s’étant connectée en tant que client</translation>
    </message>
    <message>
        <source>Only &amp;Login As</source>
        <translation>Uni&amp;quement en tant que client</translation>
    </message>
    <message>
        <source>Show only what was done while someone was logged in as a client</source>
        <translation>Afficher uniquement ce qui a été fait pendant qu’une personne était connectée en tant que client</translation>
    </message>
    <message>
        <source>Filter by customer</source>
        <translation>Filtrer par client</translation>
    </message>
    <message>
        <source>Part of the company name</source>
        <translation>Partie du nom de la société</translation>
    </message>
    <message>
        <source>Filter by reseller</source>
        <translation>Filtrer par revendeur</translation>
    </message>
    <message>
        <source>Filter by action</source>
        <translation>Filtrer par action</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Date de début</translation>
    </message>
    <message>
        <source>To date (inclusive)</source>
        <translation>Date de fin (incluse)</translation>
    </message>
    <message>
        <source>Clear F&amp;ilters</source>
        <translation>Effacer les f&amp;iltres</translation>
    </message>
    <message>
        <source>&amp;Actor:</source>
        <translation>&amp;Auteur&#xa0;:</translation>
    </message>
    <message>
        <source>Login As &amp;by:</source>
        <translation>Connecté comme client &amp;par&#xa0;:</translation>
    </message>
    <message>
        <source>C&amp;ustomer:</source>
        <translation>&amp;Client&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reseller:</source>
        <translation>&amp;Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Actio&amp;n:</source>
        <translation>Actio&amp;n&#xa0;:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>A&amp;u&#xa0;:</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>Événements d’audit</translation>
    </message>
    <message>
        <source>Login As sessions</source>
        <translation>Sessions en tant que client</translation>
    </message>
    <message>
        <source>Even&amp;ts</source>
        <translation>É&amp;vénements</translation>
    </message>
    <message>
        <source>Login As &amp;Sessions</source>
        <translation>&amp;Sessions en tant que client</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>E&amp;xporter en CSV…</translation>
    </message>
    <message>
        <source>Write every event that matches the filters to a CSV file</source>
        <translation>Écrire dans un fichier CSV tous les événements correspondant aux filtres</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Load the audit log again</source>
        <translation>Recharger le journal d’audit</translation>
    </message>
    <message>
        <source>Any reseller</source>
        <translation>Tous les revendeurs</translation>
    </message>
    <message>
        <source>Any action</source>
        <translation>Toutes les actions</translation>
    </message>
    <message>
        <source>No event matches</source>
        <translation>Aucun événement ne correspond</translation>
    </message>
    <message>
        <source>No Login As session matches</source>
        <translation>Aucune session en tant que client ne correspond</translation>
    </message>
    <message>
        <source>Events: %1</source>
        <translation>Événements&#xa0;: %1</translation>
    </message>
    <message>
        <source>Sessions: %1</source>
        <translation>Sessions&#xa0;: %1</translation>
    </message>
    <message>
        <source>Audit Event</source>
        <translation>Événement d’audit</translation>
    </message>
    <message>
        <source>Export Audit Log</source>
        <translation>Exporter le journal d’audit</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>The file %1 could not be created: %2</source>
        <translation>Le fichier %1 n’a pas pu être créé&#xa0;: %2</translation>
    </message>
    <message>
        <source>The file %1 could not be saved: %2</source>
        <translation>Le fichier %1 n’a pas pu être enregistré&#xa0;: %2</translation>
    </message>
    <message>
        <source>Exported events: %1, to %2</source>
        <translation>Événements exportés&#xa0;: %1, vers %2</translation>
    </message>
</context>
<context>
    <name>rd::AuditTableModel</name>
    <message>
        <source>%1 #%2</source>
        <translation>%1 n° %2</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Made by %1 while %2 was logged in as them (Login As)</source>
        <translation>Effectué par %1 pendant que %2 était connecté en son nom (connexion en tant que client)</translation>
    </message>
    <message>
        <source>Login As: %1</source>
        <translation>En tant que client&#xa0;: %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Login As by</source>
        <translation>Connecté comme client par</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>Entité</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
</context>
<context>
    <name>rd::ChangeNotifier</name>
    <message>
        <source>Changes made on other desktops cannot be followed: the database&apos;s change counter cannot be read. Use View ▸ Refresh to see them.</source>
        <translation>Les modifications faites sur d’autres postes ne peuvent pas être suivies&#xa0;: le compteur de modifications de la base de données est illisible. Utilisez Affichage ▸ Actualiser pour les voir.</translation>
    </message>
    <message>
        <source>Changes made on other desktops cannot be followed: the database driver does not deliver notifications. Use View ▸ Refresh to see them.</source>
        <translation>Les modifications faites sur d’autres postes ne peuvent pas être suivies&#xa0;: le pilote de base de données ne transmet pas les notifications. Utilisez Affichage ▸ Actualiser pour les voir.</translation>
    </message>
    <message>
        <source>Changes made on other desktops cannot be followed: the server refused to send notifications. Use View ▸ Refresh to see them.</source>
        <translation>Les modifications faites sur d’autres postes ne peuvent pas être suivies&#xa0;: le serveur a refusé d’envoyer des notifications. Utilisez Affichage ▸ Actualiser pour les voir.</translation>
    </message>
    <message>
        <source>The connection to the database server was lost: changes made on other desktops are no longer shown. Sign in again to reconnect.</source>
        <translation>La connexion au serveur de base de données a été perdue&#xa0;: les modifications faites sur d’autres postes ne sont plus affichées. Reconnectez-vous pour rétablir la connexion.</translation>
    </message>
</context>
<context>
    <name>rd::ChangePasswordDialog</name>
    <message>
        <source>Choose your password</source>
        <translation>Choisissez votre mot de passe</translation>
    </message>
    <message>
        <source>You need a new password, for example because you signed in with a temporary one. Choose a password only you know; you sign in with it from now on.</source>
        <translation>Il vous faut un nouveau mot de passe, par exemple parce que vous vous êtes connecté avec un mot de passe temporaire. Choisissez un mot de passe que vous seul connaissez&#xa0;; c’est avec lui que vous vous connecterez désormais.</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>Au moins %n caractère</numerusform>
            <numerusform>Au moins %n caractères</numerusform>
        </translation>
    </message>
    <message>
        <source>Confirm new password</source>
        <translation>Confirmer le nouveau mot de passe</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Nouveau mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Confirm:</source>
        <translation>&amp;Confirmer&#xa0;:</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Ce qui manque</translation>
    </message>
    <message>
        <source>&amp;Set password</source>
        <translation>&amp;Définir le mot de passe</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>Définir le nouveau mot de passe</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Change your password</source>
        <translation>Changer votre mot de passe</translation>
    </message>
    <message>
        <source>Enter the password you sign in with now, then the new one twice.</source>
        <translation>Saisissez le mot de passe avec lequel vous vous connectez actuellement, puis deux fois le nouveau.</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Mot de passe actuel</translation>
    </message>
    <message>
        <source>C&amp;urrent password:</source>
        <translation>Mot de passe &amp;actuel&#xa0;:</translation>
    </message>
    <message>
        <source>Enter your current password.</source>
        <translation>Saisissez votre mot de passe actuel.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
</context>
<context>
    <name>rd::ChangeRoleDialog</name>
    <message>
        <source>Change Role</source>
        <translation>Changer le rôle</translation>
    </message>
    <message>
        <source>New role</source>
        <translation>Nouveau rôle</translation>
    </message>
    <message>
        <source>&amp;New role:</source>
        <translation>&amp;Nouveau rôle&#xa0;:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Contexte&#xa0;:</translation>
    </message>
    <message>
        <source>Current role:</source>
        <translation>Rôle actuel&#xa0;:</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>You cannot give this membership another role.</source>
        <translation>Vous ne pouvez pas attribuer un autre rôle à cet accès.</translation>
    </message>
    <message>
        <source>Choose a role other than the current one.</source>
        <translation>Choisissez un rôle différent du rôle actuel.</translation>
    </message>
    <message>
        <source>The membership is no longer in your list; someone may have archived it.</source>
        <translation>L’accès ne figure plus dans votre liste&#xa0;; quelqu’un l’a peut-être archivé.</translation>
    </message>
</context>
<context>
    <name>rd::ClientWindow</name>
    <message>
        <source>Trial</source>
        <translation>Essai</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Essai expiré</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>%1 viewing as %2</source>
        <translation>%1 connecté en tant que %2</translation>
    </message>
    <message>
        <source>Signed in as %1 — %2</source>
        <translation>Connecté en tant que %1 — %2</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>Plan and trial</source>
        <translation>Forfait et essai</translation>
    </message>
    <message>
        <source>Identifications this month</source>
        <translation>Identifications ce mois-ci</translation>
    </message>
    <message>
        <source>Identification budget used</source>
        <translation>Quota d’identifications utilisé</translation>
    </message>
    <message>
        <source>Account settings</source>
        <translation>Paramètres du compte</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Nom du contact</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>Téléphone du contact</translation>
    </message>
    <message>
        <source>+49 30 1234567</source>
        <translation>+49 30 1234567</translation>
    </message>
    <message>
        <source>With the country code, e.g. +49 30 1234567</source>
        <translation>Avec l’indicatif de pays, par exemple +49 30 1234567</translation>
    </message>
    <message>
        <source>No notification emails (trial reminders, notices)</source>
        <translation>Pas d’e-mails de notification (rappels d’essai, avis)</translation>
    </message>
    <message>
        <source>No notification emails</source>
        <translation>Pas d’e-mails de notification</translation>
    </message>
    <message>
        <source>Why the settings were not saved</source>
        <translation>Pourquoi les paramètres n’ont pas été enregistrés</translation>
    </message>
    <message>
        <source>Why the settings cannot be changed</source>
        <translation>Pourquoi les paramètres ne peuvent pas être modifiés</translation>
    </message>
    <message>
        <source>&amp;Save Settings</source>
        <translation>&amp;Enregistrer les paramètres</translation>
    </message>
    <message>
        <source>Contact &amp;name:</source>
        <translation>&amp;Nom du contact&#xa0;:</translation>
    </message>
    <message>
        <source>Contact &amp;phone:</source>
        <translation>&amp;Téléphone du contact&#xa0;:</translation>
    </message>
    <message>
        <source>Login email:</source>
        <translation>E-mail de connexion&#xa0;:</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>Users of the account</source>
        <translation>Utilisateurs du compte</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Dernière connexion</translation>
    </message>
    <message>
        <source>Recent orders</source>
        <translation>Commandes récentes</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantité</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>No orders yet.</source>
        <translation>Aucune commande pour l’instant.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>Change &amp;Password…</source>
        <translation>Changer le mot de &amp;passe…</translation>
    </message>
    <message>
        <source>Not available during Login As</source>
        <translation>Indisponible pendant une connexion en tant que client</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>Sign out and sign in as another user</source>
        <translation>Se déconnecter et se connecter avec un autre utilisateur</translation>
    </message>
    <message>
        <source>&amp;Close Client View</source>
        <translation>&amp;Fermer la vue client</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About ResellerDesk</source>
        <translation>À &amp;propos de ResellerDesk</translation>
    </message>
    <message>
        <source>The account cannot be shown: %1</source>
        <translation>Le compte ne peut pas être affiché&#xa0;: %1</translation>
    </message>
    <message>
        <source>Viewing %1 (Login As) — ResellerDesk</source>
        <translation>Consultation de %1 (en tant que client) — ResellerDesk</translation>
    </message>
    <message>
        <source>ResellerDesk — %1</source>
        <translation>ResellerDesk — %1</translation>
    </message>
    <message>
        <source>Viewing %1 as %2 (Login As) — ResellerDesk</source>
        <translation>Consultation de %1 en tant que %2 (connexion en tant que client) — ResellerDesk</translation>
    </message>
    <message>
        <source>%1 — ResellerDesk</source>
        <translation>%1 — ResellerDesk</translation>
    </message>
    <message>
        <source>⚠ This account is deactivated. Its users cannot work with it until the reseller activates it again.</source>
        <translation>⚠ Ce compte est désactivé. Ses utilisateurs ne peuvent pas l’utiliser tant que le revendeur ne l’a pas réactivé.</translation>
    </message>
    <message>
        <source>Plan: %1</source>
        <translation>Forfait&#xa0;: %1</translation>
    </message>
    <message>
        <source>Plan: %1 — %2</source>
        <translation>Forfait&#xa0;: %1 — %2</translation>
    </message>
    <message>
        <source>Paid account</source>
        <translation>Compte payant</translation>
    </message>
    <message>
        <source>Trial expired on %1</source>
        <translation>Essai expiré le %1</translation>
    </message>
    <message>
        <source>Trial — 1 day left</source>
        <translation>Essai — 1 jour restant</translation>
    </message>
    <message>
        <source>Trial — %1 days left</source>
        <translation>Essai — %1 jours restants</translation>
    </message>
    <message>
        <source>ends %1</source>
        <translation>se termine le %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1 of %2 identifications used in %3</source>
        <translation>%1 identifications utilisées sur %2 en %3</translation>
    </message>
    <message>
        <source>Over budget by %1.</source>
        <translation>Quota dépassé de %1.</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>Passée</translation>
    </message>
    <message>
        <source>Your settings are saved.</source>
        <translation>Vos paramètres sont enregistrés.</translation>
    </message>
    <message>
        <source>Reload shows the saved settings; your changes are discarded.</source>
        <translation>Recharger affiche les paramètres enregistrés&#xa0;; vos modifications sont abandonnées.</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>Votre mot de passe a été changé.</translation>
    </message>
    <message>
        <source>Your account at a glance: plan, trial, identification budget, users and orders.</source>
        <translation>Votre compte en un coup d’œil&#xa0;: forfait, essai, quota d’identifications, utilisateurs et commandes.</translation>
    </message>
</context>
<context>
    <name>rd::CloneCustomersDialog</name>
    <message>
        <source>Clone customers to a reseller</source>
        <translation>Cloner des clients vers un revendeur</translation>
    </message>
    <message>
        <source>Customers to clone</source>
        <translation>Clients à cloner</translation>
    </message>
    <message>
        <source>C&amp;ustomers:</source>
        <translation>C&amp;lients&#xa0;:</translation>
    </message>
    <message>
        <source>Target reseller</source>
        <translation>Revendeur cible</translation>
    </message>
    <message>
        <source>Choose a reseller</source>
        <translation>Choisissez un revendeur</translation>
    </message>
    <message>
        <source>Problem with the target reseller</source>
        <translation>Problème avec le revendeur cible</translation>
    </message>
    <message>
        <source>&amp;End current assignments (hand ownership over)</source>
        <translation>&amp;Mettre fin aux affectations actuelles (transférer la propriété)</translation>
    </message>
    <message>
        <source>End current assignments</source>
        <translation>Mettre fin aux affectations actuelles</translation>
    </message>
    <message>
        <source>Checked, the target becomes each customer&apos;s only reseller and owner; the ended assignments stay in the history with their dates, and customers whose plan the target does not offer are skipped. Unchecked, the target is added as an additional reseller and the current owner stays.</source>
        <translation>Si la case est cochée, la cible devient le seul revendeur et le propriétaire de chaque client&#xa0;; les affectations terminées restent dans l’historique avec leurs dates, et les clients dont la cible ne propose pas le forfait sont ignorés. Si elle est décochée, la cible est ajoutée comme revendeur supplémentaire et le propriétaire actuel est conservé.</translation>
    </message>
    <message>
        <source>&amp;Keep each customer&apos;s price list</source>
        <translation>Conser&amp;ver la liste de prix de chaque client</translation>
    </message>
    <message>
        <source>Keep each customer&apos;s price list</source>
        <translation>Conserver la liste de prix de chaque client</translation>
    </message>
    <message>
        <source>&amp;Switch to the target&apos;s price list</source>
        <translation>&amp;Passer à la liste de prix de la cible</translation>
    </message>
    <message>
        <source>Switch to the target&apos;s price list</source>
        <translation>Passer à la liste de prix de la cible</translation>
    </message>
    <message>
        <source>About the price list</source>
        <translation>À propos de la liste de prix</translation>
    </message>
    <message>
        <source>&amp;Target reseller:</source>
        <translation>&amp;Revendeur cible&#xa0;:</translation>
    </message>
    <message>
        <source>Ownership:</source>
        <translation>Propriété&#xa0;:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>Why Clone is not available</source>
        <translation>Pourquoi le clonage n’est pas disponible</translation>
    </message>
    <message>
        <source>&amp;Clone</source>
        <translation>&amp;Cloner</translation>
    </message>
    <message>
        <source>Clone the customers</source>
        <translation>Cloner les clients</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Outcome per customer</source>
        <translation>Résultat par client</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Close the report</source>
        <translation>Fermer le rapport</translation>
    </message>
    <message>
        <source>Select at least one customer to clone.</source>
        <translation>Sélectionnez au moins un client à cloner.</translation>
    </message>
    <message numerus="yes">
        <source>Clone %n customer(s) to another reseller. Customers that cannot be cloned are skipped and listed afterwards.</source>
        <translation>
            <numerusform>Cloner %n client vers un autre revendeur. Les clients qui ne peuvent pas être clonés sont ignorés et listés ensuite.</numerusform>
            <numerusform>Cloner %n clients vers un autre revendeur. Les clients qui ne peuvent pas être clonés sont ignorés et listés ensuite.</numerusform>
        </translation>
    </message>
    <message>
        <source>direct account</source>
        <translation>compte direct</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2, %3</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation> (inactif)</translation>
    </message>
    <message>
        <source>Switching needs &quot;End current assignments&quot;: the price list goes with the owner.</source>
        <translation>Le changement nécessite «&#xa0;Mettre fin aux affectations actuelles&#xa0;»&#xa0;: la liste de prix suit le propriétaire.</translation>
    </message>
    <message>
        <source>%1 prices its customers on %2.</source>
        <translation>%1 tarifie ses clients sur %2.</translation>
    </message>
    <message>
        <source>%1 prices its customers on the default list, %2.</source>
        <translation>%1 tarifie ses clients sur la liste par défaut, %2.</translation>
    </message>
    <message>
        <source>%1 prices its customers on the default list.</source>
        <translation>%1 tarifie ses clients sur la liste par défaut.</translation>
    </message>
    <message>
        <source>None of the selected customers exists any more.</source>
        <translation>Aucun des clients sélectionnés n’existe plus.</translation>
    </message>
    <message>
        <source>There is no active reseller to clone to.</source>
        <translation>Il n’y a aucun revendeur actif vers lequel cloner.</translation>
    </message>
    <message>
        <source>Choose the target reseller.</source>
        <translation>Choisissez le revendeur cible.</translation>
    </message>
    <message>
        <source>Clone customers</source>
        <translation>Cloner des clients</translation>
    </message>
    <message>
        <source>Customer #%1</source>
        <translation>Client n° %1</translation>
    </message>
    <message>
        <source>Cloned</source>
        <translation>Cloné</translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>Ignoré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) cloned to %1.</source>
        <translation>
            <numerusform>%n client cloné vers %1.</numerusform>
            <numerusform>%n clients clonés vers %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped, as listed below.</source>
        <translation>
            <numerusform>%n ignoré, voir la liste ci-dessous.</numerusform>
            <numerusform>%n ignorés, voir la liste ci-dessous.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::CompanyPage</name>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>The client account&apos;s company and its website.</source>
        <translation>La société du compte client et son site web.</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>Nom de la société</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Obligatoire</translation>
    </message>
    <message>
        <source>Website domain</source>
        <translation>Domaine du site web</translation>
    </message>
    <message>
        <source>Optional, like example.com</source>
        <translation>Facultatif, par exemple example.com</translation>
    </message>
    <message>
        <source>&amp;Use this domain anyway</source>
        <translation>&amp;Utiliser ce domaine quand même</translation>
    </message>
    <message>
        <source>Use this domain anyway</source>
        <translation>Utiliser ce domaine quand même</translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation>&amp;Nom de la société&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>Site &amp;web&#xa0;:</translation>
    </message>
    <message>
        <source>Saved as: %1</source>
        <translation>Enregistré sous&#xa0;: %1</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Enregistré sous&#xa0;: %1 (%2)</translation>
    </message>
    <message>
        <source>Another customer already uses the domain %1. Make sure this is not a customer that exists already.</source>
        <translation>Un autre client utilise déjà le domaine %1. Vérifiez qu’il ne s’agit pas d’un client déjà existant.</translation>
    </message>
    <message numerus="yes">
        <source>%n other customers already use the domain %1. Make sure this is not a customer that exists already.</source>
        <translation>
            <numerusform>%n autre client utilise déjà le domaine %1. Vérifiez qu’il ne s’agit pas d’un client déjà existant.</numerusform>
            <numerusform>%n autres clients utilisent déjà le domaine %1. Vérifiez qu’il ne s’agit pas d’un client déjà existant.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Saisissez le nom de la société.</translation>
    </message>
    <message>
        <source>The company name</source>
        <translation>Le nom de la société</translation>
    </message>
</context>
<context>
    <name>rd::ConflictBanner</name>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recharger</translation>
    </message>
</context>
<context>
    <name>rd::ConnectionDialog</name>
    <message>
        <source>Open database</source>
        <translation>Ouvrir une base de données</translation>
    </message>
    <message>
        <source>Where is the ResellerDesk database?</source>
        <translation>Où se trouve la base de données ResellerDesk&#xa0;?</translation>
    </message>
    <message>
        <source>Recent connections</source>
        <translation>Connexions récentes</translation>
    </message>
    <message>
        <source>&amp;SQLite file on this computer</source>
        <translation>Fichier &amp;SQLite sur cet ordinateur</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>Fichier SQLite</translation>
    </message>
    <message>
        <source>SQLite file path</source>
        <translation>Chemin du fichier SQLite</translation>
    </message>
    <message>
        <source>Path of a new or existing file</source>
        <translation>Chemin d’un fichier nouveau ou existant</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>Browse for the SQLite file</source>
        <translation>Rechercher le fichier SQLite</translation>
    </message>
    <message>
        <source>&amp;PostgreSQL server, shared by your team</source>
        <translation>Serveur &amp;PostgreSQL partagé par votre équipe</translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation>Serveur PostgreSQL</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Non enregistré</translation>
    </message>
    <message>
        <source>R&amp;emember the password in the system keychain</source>
        <translation>&amp;Mémoriser le mot de passe dans le trousseau du système</translation>
    </message>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>Mémoriser le mot de passe dans le trousseau du système</translation>
    </message>
    <message>
        <source>About the keychain</source>
        <translation>À propos du trousseau</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Ce qui manque</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Open the database</source>
        <translation>Ouvrir la base de données</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte&#xa0;:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>Por&amp;t&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Base de données&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mot &amp;de passe&#xa0;:</translation>
    </message>
    <message>
        <source>%1
The password cannot be remembered: type it each time you open the database.</source>
        <translation>%1
Le mot de passe ne peut pas être mémorisé&#xa0;: saisissez-le à chaque ouverture de la base de données.</translation>
    </message>
    <message>
        <source>Enter the path of the SQLite file, or choose one with Browse….</source>
        <translation>Saisissez le chemin du fichier SQLite, ou choisissez-en un avec Parcourir….</translation>
    </message>
    <message>
        <source>Enter the PostgreSQL server&apos;s host name, such as localhost.</source>
        <translation>Saisissez le nom d’hôte du serveur PostgreSQL, par exemple localhost.</translation>
    </message>
    <message>
        <source>“%1” is not a valid host name.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’hôte valide.</translation>
    </message>
    <message>
        <source>Enter the name of the database.</source>
        <translation>Saisissez le nom de la base de données.</translation>
    </message>
    <message>
        <source>A database name cannot contain “/”.</source>
        <translation>Un nom de base de données ne peut pas contenir «&#xa0;/&#xa0;».</translation>
    </message>
    <message>
        <source>Enter the PostgreSQL user name.</source>
        <translation>Saisissez le nom d’utilisateur PostgreSQL.</translation>
    </message>
    <message>
        <source>Choose a recent connection…</source>
        <translation>Choisir une connexion récente…</translation>
    </message>
    <message>
        <source>PostgreSQL: %1@%2:%3/%4</source>
        <translation>PostgreSQL&#xa0;: %1@%2:%3/%4</translation>
    </message>
    <message>
        <source>SQLite: %1</source>
        <translation>SQLite&#xa0;: %1</translation>
    </message>
    <message>
        <source>Choose the SQLite file</source>
        <translation>Choisir le fichier SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db)</source>
        <translation>Bases de données SQLite (*.sqlite *.db)</translation>
    </message>
</context>
<context>
    <name>rd::ContactPage</name>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>The contact&apos;s email address becomes the client&apos;s login.</source>
        <translation>L’adresse e-mail du contact devient l’identifiant du client.</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Nom du contact</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Obligatoire</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Required, like name@example.com</source>
        <translation>Obligatoire, par exemple nom@example.com</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Facultatif</translation>
    </message>
    <message>
        <source>Region for numbers without a country code</source>
        <translation>Région des numéros sans indicatif de pays</translation>
    </message>
    <message>
        <source>Numbers typed without + and a country code are read as numbers of this region.</source>
        <translation>Les numéros saisis sans + ni indicatif de pays sont considérés comme des numéros de cette région.</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Région&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Contact name:</source>
        <translation>&amp;Nom du contact&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Téléphone&#xa0;:</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Enregistré sous&#xa0;: %1 (%2)</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Saisissez le nom du contact.</translation>
    </message>
    <message>
        <source>The contact&apos;s name</source>
        <translation>Le nom du contact</translation>
    </message>
</context>
<context>
    <name>rd::ConvertTrialDialog</name>
    <message>
        <source>Convert trial to paid</source>
        <translation>Convertir l’essai en compte payant</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>Société&#xa0;:</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>Monthly budget:</source>
        <translation>Quota mensuel&#xa0;:</translation>
    </message>
    <message>
        <source>Price:</source>
        <translation>Prix&#xa0;:</translation>
    </message>
    <message>
        <source>Trial:</source>
        <translation>Essai&#xa0;:</translation>
    </message>
    <message>
        <source>Con&amp;vert to paid</source>
        <translation>&amp;Convertir en compte payant</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Le client n’a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Non disponible</translation>
    </message>
    <message>
        <source>%1 a month on the price list %2</source>
        <translation>%1 par mois sur la liste de prix %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s) a month (the trial has %1)</source>
        <translation>
            <numerusform>%Ln identification par mois (l’essai en a %1)</numerusform>
            <numerusform>%Ln identifications par mois (l’essai en a %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s) a month</source>
        <translation>
            <numerusform>%Ln identification par mois</numerusform>
            <numerusform>%Ln identifications par mois</numerusform>
        </translation>
    </message>
    <message>
        <source>Converted to paid on %1</source>
        <translation>Converti en compte payant le %1</translation>
    </message>
    <message>
        <source>Paid account</source>
        <translation>Compte payant</translation>
    </message>
    <message>
        <source>Expired on %1</source>
        <translation>Expiré le %1</translation>
    </message>
    <message numerus="yes">
        <source>Ends on %1 (%n day(s) left)</source>
        <translation>
            <numerusform>Se termine le %1 (%n jour restant)</numerusform>
            <numerusform>Se termine le %1 (%n jours restants)</numerusform>
        </translation>
    </message>
    <message>
        <source>Converting %1 to a paid account ends the trial: the plan&apos;s full monthly budget applies from now on, and the trial reminder is cancelled.</source>
        <translation>Convertir %1 en compte payant met fin à l’essai&#xa0;: le quota mensuel complet du forfait s’applique dès maintenant, et le rappel de fin d’essai est annulé.</translation>
    </message>
    <message>
        <source>The account is inactive; converting reactivates it.</source>
        <translation>Le compte est inactif&#xa0;; la conversion le réactive.</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Chargement du client…</translation>
    </message>
    <message>
        <source>Your role cannot convert trials.</source>
        <translation>Votre rôle ne permet pas de convertir les essais.</translation>
    </message>
    <message>
        <source>Reload the customer before converting.</source>
        <translation>Rechargez le client avant de le convertir.</translation>
    </message>
    <message>
        <source>%1 is already a paid account.</source>
        <translation>%1 est déjà un compte payant.</translation>
    </message>
    <message>
        <source>Reload shows the customer as it is saved now.</source>
        <translation>Recharger affiche le client tel qu’il est enregistré actuellement.</translation>
    </message>
</context>
<context>
    <name>rd::CustomerDetailPanel</name>
    <message>
        <source>Customer details</source>
        <translation>Détails du client</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the details (Esc)</source>
        <translation>Fermer les détails (Échap)</translation>
    </message>
    <message>
        <source>Close the customer details</source>
        <translation>Fermer les détails du client</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Vue d’ensemble</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Ended by</source>
        <translation>Clôturé par</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Affectations</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Dernière connexion</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Before and after of the selected event</source>
        <translation>Avant et après de l’événement sélectionné</translation>
    </message>
    <message>
        <source>Select an event to see what it changed.</source>
        <translation>Sélectionnez un événement pour voir ce qu’il a modifié.</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Historique d’audit</translation>
    </message>
    <message>
        <source>Login As…</source>
        <translation>Se connecter en tant que…</translation>
    </message>
    <message>
        <source>See this customer&apos;s own view, as one of its client users (audited, time-limited)</source>
        <translation>Voir la vue propre à ce client, en tant que l’un de ses utilisateurs clients (audité, limité dans le temps)</translation>
    </message>
    <message>
        <source>Login As this customer</source>
        <translation>Se connecter en tant que ce client</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Statut&#xa0;:</translation>
    </message>
    <message>
        <source>Website:</source>
        <translation>Site web&#xa0;:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>Contact&#xa0;:</translation>
    </message>
    <message>
        <source>Email (login):</source>
        <translation>E-mail (identifiant)&#xa0;:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Téléphone&#xa0;:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Compte direct (sans revendeur)</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (%2 identifications a month)</source>
        <translation>%1 (%2 identifications par mois)</translation>
    </message>
    <message>
        <source>%1 — %2 a month</source>
        <translation>%1 — %2 par mois</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>Trial ends:</source>
        <translation>Fin de l’essai&#xa0;:</translation>
    </message>
    <message>
        <source>Trial budget:</source>
        <translation>Quota d’essai&#xa0;:</translation>
    </message>
    <message>
        <source>Paid since:</source>
        <translation>Payant depuis&#xa0;:</translation>
    </message>
    <message>
        <source>Emails:</source>
        <translation>E-mails&#xa0;:</translation>
    </message>
    <message>
        <source>None (the “no email” flag is set)</source>
        <translation>Aucun (l’option «&#xa0;pas d’e-mail&#xa0;» est activée)</translation>
    </message>
    <message>
        <source>Sent as usual</source>
        <translation>Envoyés normalement</translation>
    </message>
    <message>
        <source>Setup:</source>
        <translation>Configuration&#xa0;:</translation>
    </message>
    <message>
        <source>The client has not chosen a password yet</source>
        <translation>Le client n’a pas encore choisi de mot de passe</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Créé le&#xa0;:</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Additional</source>
        <translation>Supplémentaire</translation>
    </message>
    <message>
        <source>open</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>the system</source>
        <translation>le système</translation>
    </message>
    <message>
        <source>%1 (Login As by %2)</source>
        <translation>%1 (connecté comme client par %2)</translation>
    </message>
    <message>
        <source>Before:</source>
        <translation>Avant&#xa0;:</translation>
    </message>
    <message>
        <source>After:</source>
        <translation>Après&#xa0;:</translation>
    </message>
</context>
<context>
    <name>rd::CustomerTableModel</name>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Essai expiré</translation>
    </message>
    <message>
        <source>Trial, 1 day left</source>
        <translation>Essai, 1 jour restant</translation>
    </message>
    <message>
        <source>Trial, %1 days left</source>
        <translation>Essai, %1 jours restants</translation>
    </message>
    <message>
        <source>Direct account</source>
        <translation>Compte direct</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Also assigned to</source>
        <translation>Également affecté à</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Liste de prix</translation>
    </message>
    <message>
        <source>Identifications / month</source>
        <translation>Identifications / mois</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
</context>
<context>
    <name>rd::CustomersPage</name>
    <message>
        <source>Search customers</source>
        <translation>Rechercher des clients</translation>
    </message>
    <message>
        <source>Search company, domain, contact or email</source>
        <translation>Rechercher une société, un domaine, un contact ou un e-mail</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Filter by reseller</source>
        <translation>Filtrer par revendeur</translation>
    </message>
    <message>
        <source>All resellers</source>
        <translation>Tous les revendeurs</translation>
    </message>
    <message>
        <source>Direct accounts</source>
        <translation>Comptes directs</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Filtrer par statut</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>On trial</source>
        <translation>En essai</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Essai expiré</translation>
    </message>
    <message>
        <source>Active (paid)</source>
        <translation>Actif (payant)</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Filter by plan</source>
        <translation>Filtrer par forfait</translation>
    </message>
    <message>
        <source>Any plan</source>
        <translation>Tous les forfaits</translation>
    </message>
    <message>
        <source>&amp;New Customer…</source>
        <translation>&amp;Nouveau client…</translation>
    </message>
    <message>
        <source>Add a customer with the Add Customer wizard</source>
        <translation>Ajouter un client avec l’assistant Ajouter un client</translation>
    </message>
    <message>
        <source>&amp;Import from CSV…</source>
        <translation>&amp;Importer depuis un CSV…</translation>
    </message>
    <message>
        <source>Add many customers at once from a CSV file</source>
        <translation>Ajouter de nombreux clients à la fois depuis un fichier CSV</translation>
    </message>
    <message>
        <source>&amp;Open Details</source>
        <translation>&amp;Ouvrir les détails</translation>
    </message>
    <message>
        <source>&amp;Edit Customer…</source>
        <translation>&amp;Modifier le client…</translation>
    </message>
    <message>
        <source>&amp;Convert Trial to Paid…</source>
        <translation>&amp;Convertir l’essai en compte payant…</translation>
    </message>
    <message>
        <source>E&amp;xtend Trial…</source>
        <translation>&amp;Prolonger l’essai…</translation>
    </message>
    <message>
        <source>Raise Trial &amp;Budget…</source>
        <translation>Augmenter le &amp;quota d’essai…</translation>
    </message>
    <message>
        <source>Resend &amp;Setup Email</source>
        <translation>Ren&amp;voyer l’e-mail de configuration</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Désactiver…</translation>
    </message>
    <message>
        <source>Re&amp;activate…</source>
        <translation>&amp;Réactiver…</translation>
    </message>
    <message>
        <source>A&amp;rchive…</source>
        <translation>&amp;Archiver…</translation>
    </message>
    <message>
        <source>&amp;Login As…</source>
        <translation>Se connecter en &amp;tant que…</translation>
    </message>
    <message>
        <source>See this customer&apos;s own view, as one of its client users (audited)</source>
        <translation>Voir la vue propre à ce client, en tant que l’un de ses utilisateurs clients (audité)</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>Dép&amp;lacer…</translation>
    </message>
    <message>
        <source>C&amp;lone to Reseller…</source>
        <translation>Clon&amp;er vers un revendeur…</translation>
    </message>
    <message>
        <source>M&amp;igrate to Reseller…</source>
        <translation>Mi&amp;grer vers un revendeur…</translation>
    </message>
    <message>
        <source>Ex&amp;port…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>Save the customers of this view, as filtered and sorted, to a CSV or Excel file</source>
        <translation>Enregistrer les clients de cette vue, filtrés et triés comme affiché, dans un fichier CSV ou Excel</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Colonnes</translation>
    </message>
    <message>
        <source>No customer matches</source>
        <translation>Aucun client ne correspond</translation>
    </message>
    <message>
        <source>No customers yet — add one with New Customer</source>
        <translation>Aucun client pour l’instant — ajoutez-en un avec Nouveau client</translation>
    </message>
    <message>
        <source>No customers yet</source>
        <translation>Aucun client pour l’instant</translation>
    </message>
    <message>
        <source>1 customer</source>
        <translation>1 client</translation>
    </message>
    <message>
        <source>%1 customers</source>
        <translation>%1 clients</translation>
    </message>
    <message>
        <source>Customer added.</source>
        <translation>Client ajouté.</translation>
    </message>
    <message>
        <source>Customer added. %1</source>
        <translation>Client ajouté. %1</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n client importé.</numerusform>
            <numerusform>%n clients importés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Trial converted to a paid account.</source>
        <translation>Essai converti en compte payant.</translation>
    </message>
    <message>
        <source>Resend Setup Email</source>
        <translation>Renvoyer l’e-mail de configuration</translation>
    </message>
    <message>
        <source>A new setup email for %1 is queued to %2.</source>
        <translation>Un nouvel e-mail de configuration pour %1 est en file d’attente à destination de %2.</translation>
    </message>
    <message>
        <source>Reactivate Customer</source>
        <translation>Réactiver le client</translation>
    </message>
    <message>
        <source>Reactivate %1? Its users can sign in again and its trial reminders resume.</source>
        <translation>Réactiver %1&#xa0;? Ses utilisateurs pourront de nouveau se connecter et ses rappels de fin d’essai reprendront.</translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation>&amp;Réactiver</translation>
    </message>
    <message>
        <source>Deactivate Customer</source>
        <translation>Désactiver le client</translation>
    </message>
    <message>
        <source>Deactivate %1? Its users can no longer sign in. Nothing is deleted; you can reactivate it later.</source>
        <translation>Désactiver %1&#xa0;? Ses utilisateurs ne pourront plus se connecter. Rien n’est supprimé&#xa0;; vous pourrez le réactiver plus tard.</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message>
        <source>Archive Customer</source>
        <translation>Archiver le client</translation>
    </message>
    <message>
        <source>Archive %1? It disappears from the lists and its users can no longer sign in. Its history and audit trail are kept.</source>
        <translation>Archiver %1&#xa0;? Il disparaîtra des listes et ses utilisateurs ne pourront plus se connecter. Son historique et son historique d’audit sont conservés.</translation>
    </message>
    <message>
        <source>A&amp;rchive</source>
        <translation>&amp;Archiver</translation>
    </message>
    <message>
        <source>Customer archived.</source>
        <translation>Client archivé.</translation>
    </message>
    <message>
        <source>Customer migrated to its own reseller portal.</source>
        <translation>Client migré vers son propre portail revendeur.</translation>
    </message>
</context>
<context>
    <name>rd::EditCustomerDialog</name>
    <message>
        <source>Edit customer</source>
        <translation>Modifier le client</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>Nom de la société</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Site web</translation>
    </message>
    <message>
        <source>example.com</source>
        <translation>example.com</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Nom du contact</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>+49 30 1234567</source>
        <translation>+49 30 1234567</translation>
    </message>
    <message>
        <source>Contact email (the client&apos;s login)</source>
        <translation>E-mail du contact (identifiant du client)</translation>
    </message>
    <message>
        <source>The client signs in with this address, so it is not changed here.</source>
        <translation>Le client se connecte avec cette adresse&#xa0;: elle n’est donc pas modifiée ici.</translation>
    </message>
    <message>
        <source>N&amp;o email to this client</source>
        <translation>&amp;Pas d’e-mail pour ce client</translation>
    </message>
    <message>
        <source>No email</source>
        <translation>Pas d’e-mail</translation>
    </message>
    <message>
        <source>Silences the trial reminders and the Login As notices. Emails you ask for explicitly, such as a setup email, are still sent.</source>
        <translation>Désactive les rappels de fin d’essai et les avis de connexion en tant que client. Les e-mails que vous demandez explicitement, comme un e-mail de configuration, sont toujours envoyés.</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Liste de prix</translation>
    </message>
    <message>
        <source>Only administrators change a customer&apos;s price list.</source>
        <translation>Seuls les administrateurs peuvent modifier la liste de prix d’un client.</translation>
    </message>
    <message>
        <source>&amp;Company:</source>
        <translation>&amp;Société&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>Site &amp;web&#xa0;:</translation>
    </message>
    <message>
        <source>Contact n&amp;ame:</source>
        <translation>&amp;Nom du contact&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Téléphone&#xa0;:</translation>
    </message>
    <message>
        <source>E&amp;mail:</source>
        <translation>E-&amp;mail&#xa0;:</translation>
    </message>
    <message>
        <source>Notifications:</source>
        <translation>Notifications&#xa0;:</translation>
    </message>
    <message>
        <source>P&amp;lan:</source>
        <translation>&amp;Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>Price l&amp;ist:</source>
        <translation>&amp;Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Le client n’a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>The price lists could not be loaded: %1</source>
        <translation>Les listes de prix n’ont pas pu être chargées&#xa0;: %1</translation>
    </message>
    <message>
        <source>The plans could not be loaded: %1</source>
        <translation>Les forfaits n’ont pas pu être chargés&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%Ln identification(s) a month)</source>
        <translation>
            <numerusform>%1 (%Ln identification par mois)</numerusform>
            <numerusform>%1 (%Ln identifications par mois)</numerusform>
        </translation>
    </message>
    <message>
        <source>Current plan</source>
        <translation>Forfait actuel</translation>
    </message>
    <message>
        <source>%1 (no longer offered)</source>
        <translation>%1 (n’est plus proposé)</translation>
    </message>
    <message>
        <source>Current price list</source>
        <translation>Liste de prix actuelle</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Chargement du client…</translation>
    </message>
    <message>
        <source>Your role can see this customer but not change it.</source>
        <translation>Votre rôle vous permet de voir ce client, mais pas de le modifier.</translation>
    </message>
    <message>
        <source>Reload the customer before saving again.</source>
        <translation>Rechargez le client avant d’enregistrer à nouveau.</translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Saisissez le nom de la société.</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Saisissez le nom du contact.</translation>
    </message>
    <message>
        <source>%1 has no price for the plan %2; choose another price list or plan.</source>
        <translation>%1 n’a pas de prix pour le forfait %2&#xa0;; choisissez une autre liste de prix ou un autre forfait.</translation>
    </message>
    <message>
        <source>The customer&apos;s price list has no price for the plan %1; choose another plan.</source>
        <translation>La liste de prix du client n’a pas de prix pour le forfait %1&#xa0;; choisissez un autre forfait.</translation>
    </message>
    <message>
        <source>Nothing has changed yet.</source>
        <translation>Rien n’a encore été modifié.</translation>
    </message>
    <message>
        <source>Saved as: %1</source>
        <translation>Enregistré sous&#xa0;: %1</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Enregistré sous&#xa0;: %1 (%2)</translation>
    </message>
    <message>
        <source>Optional.</source>
        <translation>Facultatif.</translation>
    </message>
    <message>
        <source>Optional. Without + and a country code it is read as a number from %1.</source>
        <translation>Facultatif. Sans + ni indicatif de pays, le numéro est considéré comme un numéro de %1.</translation>
    </message>
    <message>
        <source>The plan changes when you save; the new identification budget applies at once.</source>
        <translation>Le forfait change à l’enregistrement&#xa0;; le nouveau quota d’identifications s’applique immédiatement.</translation>
    </message>
    <message>
        <source>%1 costs %2 a month on this list.</source>
        <translation>%1 coûte %2 par mois sur cette liste.</translation>
    </message>
    <message>
        <source>the company and contact details</source>
        <translation>la société et les coordonnées du contact</translation>
    </message>
    <message>
        <source>the plan</source>
        <translation>le forfait</translation>
    </message>
    <message>
        <source>the price list</source>
        <translation>la liste de prix</translation>
    </message>
    <message>
        <source>Reload shows the customer as it is saved now; what you typed here is replaced.</source>
        <translation>Recharger affiche le client tel qu’il est enregistré actuellement&#xa0;; ce que vous avez saisi ici est remplacé.</translation>
    </message>
    <message>
        <source>Saved: %1. Not saved: %2.</source>
        <translation>Enregistré&#xa0;: %1. Non enregistré&#xa0;: %2.</translation>
    </message>
</context>
<context>
    <name>rd::ExportCustomersTask</name>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Classeur Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Export Customers</source>
        <translation>Exporter les clients</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existe déjà. Le remplacer&#xa0;?</translation>
    </message>
    <message>
        <source>Exporting customers to %1…</source>
        <translation>Export des clients vers %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>The export stopped.</source>
        <translation>L’export s’est arrêté.</translation>
    </message>
    <message>
        <source>The customers were not exported: %1</source>
        <translation>Les clients n’ont pas été exportés&#xa0;: %1</translation>
    </message>
    <message>
        <source>Export cancelled: %1 was not written.</source>
        <translation>Export annulé&#xa0;: %1 n’a pas été écrit.</translation>
    </message>
    <message>
        <source>Exported 1 customer to %1.</source>
        <translation>1 client exporté vers %1.</translation>
    </message>
    <message>
        <source>Exported %1 customers to %2.</source>
        <translation>%1 clients exportés vers %2.</translation>
    </message>
</context>
<context>
    <name>rd::ExtendTrialDialog</name>
    <message>
        <source>Extend trial</source>
        <translation>Prolonger l’essai</translation>
    </message>
    <message>
        <source>Days to add</source>
        <translation>Jours à ajouter</translation>
    </message>
    <message>
        <source>New end of the trial</source>
        <translation>Nouvelle fin de l’essai</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Obligatoire&#xa0;: enregistré dans le journal d’audit</translation>
    </message>
    <message>
        <source>&amp;Days to add:</source>
        <translation>&amp;Jours à ajouter&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Trial ends:</source>
        <translation>Fin de l’essai&#xa0;:</translation>
    </message>
    <message>
        <source>New end:</source>
        <translation>Nouvelle fin&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Extend trial</source>
        <translation>&amp;Prolonger l’essai</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Le client n’a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 is a paid account; only trials can be extended.</source>
        <translation>%1 est un compte payant&#xa0;; seuls les essais peuvent être prolongés.</translation>
    </message>
    <message>
        <source>No trial</source>
        <translation>Pas d’essai</translation>
    </message>
    <message>
        <source>The trial of %1 has expired. An expired trial is extended from now, not from its old end.</source>
        <translation>L’essai de %1 a expiré. Un essai expiré est prolongé à partir de maintenant, et non de son ancienne date de fin.</translation>
    </message>
    <message>
        <source>Expired on %1</source>
        <translation>Expiré le %1</translation>
    </message>
    <message>
        <source>The trial of %1 is running; the days are added to its current end. The trial reminder moves with the end.</source>
        <translation>L’essai de %1 est en cours&#xa0;; les jours sont ajoutés à sa date de fin actuelle. Le rappel de fin d’essai suit la nouvelle date.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n day(s) left)</source>
        <translation>
            <numerusform>%1 (%n jour restant)</numerusform>
            <numerusform>%1 (%n jours restants)</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Chargement du client…</translation>
    </message>
    <message>
        <source>Your role cannot extend trials.</source>
        <translation>Votre rôle ne permet pas de prolonger les essais.</translation>
    </message>
    <message>
        <source>Reload the customer before extending.</source>
        <translation>Rechargez le client avant de prolonger l’essai.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 n’est pas en essai.</translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Indiquez un motif&#xa0;; il est conservé dans le journal d’audit.</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>Au plus %n jour à la fois.</numerusform>
            <numerusform>Au plus %n jours à la fois.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload shows the trial as it is saved now; the days and reason you entered stay.</source>
        <translation>Recharger affiche l’essai tel qu’il est enregistré actuellement&#xa0;; les jours et le motif saisis sont conservés.</translation>
    </message>
</context>
<context>
    <name>rd::Feedback</name>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recharger</translation>
    </message>
</context>
<context>
    <name>rd::FirstRunDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation>Créer le premier administrateur</translation>
    </message>
    <message>
        <source>This database has no users yet. The account you create now administers everything: resellers, customers and other users. You sign in with its email address and password.</source>
        <translation>Cette base de données n’a pas encore d’utilisateurs. Le compte que vous créez maintenant administre tout&#xa0;: revendeurs, clients et autres utilisateurs. Vous vous connectez avec son adresse e-mail et son mot de passe.</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nom@example.com</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>Au moins %n caractère</numerusform>
            <numerusform>Au moins %n caractères</numerusform>
        </translation>
    </message>
    <message>
        <source>Confirm password</source>
        <translation>Confirmer le mot de passe</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Confirm password:</source>
        <translation>&amp;Confirmer le mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Ce qui manque</translation>
    </message>
    <message>
        <source>C&amp;reate administrator</source>
        <translation>C&amp;réer l’administrateur</translation>
    </message>
    <message>
        <source>Create the administrator</source>
        <translation>Créer l’administrateur</translation>
    </message>
    <message>
        <source>Fill with &amp;Demo Data</source>
        <translation>Remplir avec des &amp;données de démonstration</translation>
    </message>
    <message>
        <source>Fill with demo data</source>
        <translation>Remplir avec des données de démonstration</translation>
    </message>
    <message>
        <source>Explore ResellerDesk with sample resellers, customers and users instead; the demo logins are shown at sign-in</source>
        <translation>Découvrir plutôt ResellerDesk avec des revendeurs, clients et utilisateurs d’exemple&#xa0;; les identifiants de démonstration sont affichés à la connexion</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Enter your name.</source>
        <translation>Saisissez votre nom.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
</context>
<context>
    <name>rd::ImpersonationBanner</name>
    <message>
        <source>Login As session</source>
        <translation>Session en tant que client</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>LOGIN AS</source>
        <translation>CONNEXION EN TANT QUE CLIENT</translation>
    </message>
    <message>
        <source>&amp;End session</source>
        <translation>&amp;Terminer la session</translation>
    </message>
    <message>
        <source>End the Login As session</source>
        <translation>Terminer la session en tant que client</translation>
    </message>
    <message>
        <source>Viewing %1 as %2 — you are %3; every action is recorded; ends in %4</source>
        <translation>Vous voyez %1 en tant que %2 — vous êtes %3&#xa0;; chaque action est enregistrée&#xa0;; fin dans %4</translation>
    </message>
</context>
<context>
    <name>rd::ImpersonationSessionTableModel</name>
    <message>
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Déconnexion</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Expirée</translation>
    </message>
    <message>
        <source>App exit</source>
        <translation>Fermeture de l’application</translation>
    </message>
    <message>
        <source>Expires %1</source>
        <translation>Expire le %1</translation>
    </message>
    <message>
        <source>%1 (reseller %2)</source>
        <translation>%1 (revendeur %2)</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <source>open</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>Expired (never closed)</source>
        <translation>Expirée (jamais fermée)</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Toujours ouverte</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Impersonator</source>
        <translation>Auteur de la connexion</translation>
    </message>
    <message>
        <source>Client user</source>
        <translation>Utilisateur client</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>How it ended</source>
        <translation>Fin de la session</translation>
    </message>
</context>
<context>
    <name>rd::ImportCustomersDialog</name>
    <message>
        <source>Import Customers from CSV</source>
        <translation>Importer des clients depuis un CSV</translation>
    </message>
    <message>
        <source>Adds a customer for each row of a CSV file (UTF-8, with a header row), with the same checks as New Customer. Nothing changes until you choose Import.</source>
        <translation>Ajoute un client pour chaque ligne d’un fichier CSV (UTF-8, avec une ligne d’en-tête), avec les mêmes vérifications que Nouveau client. Rien ne change tant que vous n’avez pas choisi Importer.</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>Fichier CSV</translation>
    </message>
    <message>
        <source>Choose a CSV file…</source>
        <translation>Choisir un fichier CSV…</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Portail revendeur</translation>
    </message>
    <message>
        <source>Plan for rows without one</source>
        <translation>Forfait des lignes qui n’en ont pas</translation>
    </message>
    <message>
        <source>Send each new customer a &amp;setup email</source>
        <translation>Envoyer à chaque nouveau client un e-mail de &amp;configuration</translation>
    </message>
    <message>
        <source>Off: the customers get no notification that their account exists. Rows marked “no email” never get one.</source>
        <translation>Désactivé&#xa0;: les clients ne sont pas informés de l’existence de leur compte. Les lignes marquées «&#xa0;pas d’e-mail&#xa0;» n’en reçoivent jamais.</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Options</translation>
    </message>
    <message>
        <source>&amp;Reseller portal:</source>
        <translation>Portail re&amp;vendeur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Plan for rows without one:</source>
        <translation>&amp;Forfait des lignes qui n’en ont pas&#xa0;:</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Colonnes</translation>
    </message>
    <message>
        <source>Show only rows with &amp;problems</source>
        <translation>Afficher uniquement les lignes &amp;problématiques</translation>
    </message>
    <message>
        <source>Rows of the file</source>
        <translation>Lignes du fichier</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Société</translation>
    </message>
    <message>
        <source>Contact email</source>
        <translation>E-mail du contact</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Progression de l’import</translation>
    </message>
    <message>
        <source>Save &amp;Error Report…</source>
        <translation>Enregistrer le rapport d’&amp;erreurs…</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>&amp;Stop Import</source>
        <translation>Arrê&amp;ter l’import</translation>
    </message>
    <message>
        <source>Stops after the current row; the rows of the unfinished batch are not imported, earlier batches stay.</source>
        <translation>S’arrête après la ligne en cours&#xa0;; les lignes du lot inachevé ne sont pas importées, les lots précédents sont conservés.</translation>
    </message>
    <message>
        <source>Your reseller portal</source>
        <translation>Votre portail revendeur</translation>
    </message>
    <message>
        <source>None — direct accounts</source>
        <translation>Aucun — comptes directs</translation>
    </message>
    <message>
        <source>None — every row names its plan</source>
        <translation>Aucun — chaque ligne indique son forfait</translation>
    </message>
    <message>
        <source>Import Customers</source>
        <translation>Importer des clients</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>Le fichier %1 ne peut pas être ouvert&#xa0;: %2</translation>
    </message>
    <message>
        <source>(not in the file)</source>
        <translation>(absent du fichier)</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Colonne %1</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) in the file: </source>
        <translation>
            <numerusform>%n ligne dans le fichier&#xa0;: </numerusform>
            <numerusform>%n lignes dans le fichier&#xa0;: </numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can be imported, %2 have problems.</source>
        <translation>%1 peuvent être importées, %2 ont des problèmes.</translation>
    </message>
    <message numerus="yes">
        <source>Import stopped: %n customer(s) imported (lines %1–%2); the unfinished batch was undone and %3 valid rows were not imported.</source>
        <translation>
            <numerusform>Import arrêté&#xa0;: %n client importé (lignes %1 à %2)&#xa0;; le lot inachevé a été annulé et %3 lignes valides n’ont pas été importées.</numerusform>
            <numerusform>Import arrêté&#xa0;: %n clients importés (lignes %1 à %2)&#xa0;; le lot inachevé a été annulé et %3 lignes valides n’ont pas été importées.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n client importé.</numerusform>
            <numerusform>%n clients importés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) refused; save the error report to correct and import them.</source>
        <translation>
            <numerusform>%n ligne refusée&#xa0;; enregistrez le rapport d’erreurs pour la corriger et l’importer.</numerusform>
            <numerusform>%n lignes refusées&#xa0;; enregistrez le rapport d’erreurs pour les corriger et les importer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Refusée</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importée</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>Non importée</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Import %n Customer(s)</source>
        <translation>
            <numerusform>&amp;Importer %n client</numerusform>
            <numerusform>&amp;Importer %n clients</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Import en cours…</translation>
    </message>
    <message>
        <source>The import stopped unexpectedly.</source>
        <translation>L’import s’est arrêté de façon inattendue.</translation>
    </message>
    <message>
        <source>-refused</source>
        <comment>file name suffix of the error report</comment>
        <translation>-refusees</translation>
    </message>
    <message>
        <source>Save Error Report</source>
        <translation>Enregistrer le rapport d’erreurs</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>The report cannot be written to %1. Choose another folder.</source>
        <translation>Le rapport ne peut pas être écrit dans %1. Choisissez un autre dossier.</translation>
    </message>
</context>
<context>
    <name>rd::LoginAsController</name>
    <message>
        <source>Login As</source>
        <translation>Connexion en tant que client</translation>
    </message>
    <message>
        <source>You are viewing %1 with Login As. End that session before you start another.</source>
        <translation>Vous consultez %1 en tant que client. Terminez cette session avant d’en démarrer une autre.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>The Login As session with %1 reached its time limit and has ended.</source>
        <translation>La session en tant que client avec %1 a atteint sa durée maximale et s’est terminée.</translation>
    </message>
    <message>
        <source>The end of the Login As session with %1 could not be recorded: %2</source>
        <translation>La fin de la session en tant que client avec %1 n’a pas pu être enregistrée&#xa0;: %2</translation>
    </message>
    <message>
        <source>Login As session with %1 ended.</source>
        <translation>Session en tant que client avec %1 terminée.</translation>
    </message>
</context>
<context>
    <name>rd::LoginAsDialog</name>
    <message>
        <source>Login As — %1</source>
        <translation>Se connecter en tant que — %1</translation>
    </message>
    <message>
        <source>Client user to view as</source>
        <translation>Utilisateur client dont afficher la vue</translation>
    </message>
    <message>
        <source>The client view opens as this user sees it; the primary client admin is the default.</source>
        <translation>La vue client s’ouvre telle que cet utilisateur la voit&#xa0;; par défaut, c’est l’administrateur client principal.</translation>
    </message>
    <message>
        <source>Why this user cannot be chosen</source>
        <translation>Pourquoi cet utilisateur ne peut pas être choisi</translation>
    </message>
    <message>
        <source>Reason for Login As</source>
        <translation>Motif de la connexion en tant que client</translation>
    </message>
    <message>
        <source>Required. Kept in the audit log with the session.</source>
        <translation>Obligatoire. Conservé dans le journal d’audit avec la session.</translation>
    </message>
    <message>
        <source>e.g. Ticket 4711: the client cannot see this month&apos;s usage</source>
        <translation>p. ex. ticket 4711&#xa0;: le client ne voit pas la consommation de ce mois-ci</translation>
    </message>
    <message>
        <source>&amp;View as:</source>
        <translation>&amp;Voir en tant que&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Start Login As</source>
        <translation>&amp;Se connecter en tant que client</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt; — %3</source>
        <translation>%1 &lt;%2&gt; — %3</translation>
    </message>
    <message>
        <source> (primary)</source>
        <translation> (principal)</translation>
    </message>
    <message>
        <source> — not available</source>
        <translation> — non disponible</translation>
    </message>
    <message numerus="yes">
        <source>You will see %1 exactly as the chosen client user sees it. The session is recorded in the audit log with your reason, ends after %n minute(s), and password, email and user changes are refused while it lasts.</source>
        <translation>
            <numerusform>Vous verrez %1 exactement comme l’utilisateur client choisi le voit. La session est enregistrée dans le journal d’audit avec votre motif, se termine au bout de %n minute, et les modifications de mot de passe, d’e-mail et d’utilisateurs sont refusées pendant sa durée.</numerusform>
            <numerusform>Vous verrez %1 exactement comme l’utilisateur client choisi le voit. La session est enregistrée dans le journal d’audit avec votre motif, se termine au bout de %n minutes, et les modifications de mot de passe, d’e-mail et d’utilisateurs sont refusées pendant sa durée.</numerusform>
        </translation>
    </message>
    <message>
        <source>The client user is notified by email.</source>
        <translation>L’utilisateur client est averti par e-mail.</translation>
    </message>
    <message>
        <source>The client is not notified (email notices are off).</source>
        <translation>Le client n’est pas averti (les avis par e-mail sont désactivés).</translation>
    </message>
    <message>
        <source>This account has no client user to view as.</source>
        <translation>Ce compte n’a aucun utilisateur client au nom duquel se connecter.</translation>
    </message>
    <message>
        <source>A reason is required; it is kept in the audit log.</source>
        <translation>Un motif est obligatoire&#xa0;; il est conservé dans le journal d’audit.</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>Au plus %n caractère.</numerusform>
            <numerusform>Au plus %n caractères.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::MailStatusIndicator</name>
    <message>
        <source>Mail status</source>
        <translation>État de la messagerie</translation>
    </message>
    <message>
        <source>Mail: status unavailable</source>
        <translation>E-mails&#xa0;: état indisponible</translation>
    </message>
    <message numerus="yes">
        <source>Mail: %n failing</source>
        <translation>
            <numerusform>E-mails&#xa0;: %n en échec</numerusform>
            <numerusform>E-mails&#xa0;: %n en échec</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mail: %n pending</source>
        <translation>
            <numerusform>E-mails&#xa0;: %n en attente</numerusform>
            <numerusform>E-mails&#xa0;: %n en attente</numerusform>
        </translation>
    </message>
    <message>
        <source>Mail: all sent</source>
        <translation>E-mails&#xa0;: tous envoyés</translation>
    </message>
    <message>
        <source>The outbox cannot be read: %1</source>
        <translation>La boîte d’envoi ne peut pas être lue&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n emails waiting to be sent</source>
        <translation>
            <numerusform>%n e-mail en attente d’envoi</numerusform>
            <numerusform>%n e-mails en attente d’envoi</numerusform>
        </translation>
    </message>
    <message>
        <source>The oldest was queued on %1.</source>
        <translation>Le plus ancien a été mis en file d’attente le %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails failed</source>
        <translation>
            <numerusform>%n e-mail en échec</numerusform>
            <numerusform>%n e-mails en échec</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails of unknown outcome (not resent automatically)</source>
        <translation>
            <numerusform>%n e-mail au résultat inconnu (non renvoyé automatiquement)</numerusform>
            <numerusform>%n e-mails au résultat inconnu (non renvoyés automatiquement)</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Dernière erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>This desktop delivers mail.</source>
        <translation>Ce poste envoie les e-mails.</translation>
    </message>
    <message>
        <source>Delivery problem: %1</source>
        <translation>Problème d’envoi&#xa0;: %1</translation>
    </message>
    <message>
        <source>This desktop does not deliver mail; another desktop or the dispatcher (resellerdesk dispatch) delivers it.</source>
        <translation>Ce poste n’envoie pas les e-mails&#xa0;; un autre poste ou le service d’envoi (resellerdesk dispatch) s’en charge.</translation>
    </message>
    <message>
        <source>Click to open the outbox.</source>
        <translation>Cliquez pour ouvrir la boîte d’envoi.</translation>
    </message>
</context>
<context>
    <name>rd::MainWindow</name>
    <message>
        <source>ResellerDesk — %1</source>
        <translation>ResellerDesk — %1</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Rubriques</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Resellers</source>
        <translation>Revendeurs</translation>
    </message>
    <message>
        <source>&amp;Reseller</source>
        <translation>&amp;Revendeur</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>&amp;Client</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Utilisateur</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Boîte d’envoi</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;Boîte d’envoi</translation>
    </message>
    <message>
        <source>Audit Log</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <source>Au&amp;dit</source>
        <translation>Aud&amp;it</translation>
    </message>
    <message>
        <source>Signed in as %1 — %2</source>
        <translation>Connecté en tant que %1 — %2</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>Updated from another desktop</source>
        <translation>Mis à jour depuis un autre poste</translation>
    </message>
    <message>
        <source>S&amp;witch Membership…</source>
        <translation>Changer d’&amp;accès…</translation>
    </message>
    <message>
        <source>Work in another of your portals or accounts</source>
        <translation>Travailler dans un autre de vos portails ou comptes</translation>
    </message>
    <message>
        <source>Import &amp;Usage…</source>
        <translation>Importer la &amp;consommation…</translation>
    </message>
    <message>
        <source>Import the metering system&apos;s monthly usage (CSV)</source>
        <translation>Importer la consommation mensuelle du système de comptage (CSV)</translation>
    </message>
    <message>
        <source>Usage imported: %1 rows.</source>
        <translation>Consommation importée&#xa0;: %1 lignes.</translation>
    </message>
    <message>
        <source>Change &amp;Password…</source>
        <translation>Changer le mot de &amp;passe…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>Sign out and sign in as another user</source>
        <translation>Se déconnecter et se connecter avec un autre utilisateur</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Find Customers</source>
        <translation>&amp;Rechercher des clients</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Show &amp;Tool Bar</source>
        <translation>Afficher la &amp;barre d’outils</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About ResellerDesk</source>
        <translation>À &amp;propos de ResellerDesk</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>Votre mot de passe a été changé.</translation>
    </message>
    <message>
        <source>Manage resellers and their customers.</source>
        <translation>Gérez les revendeurs et leurs clients.</translation>
    </message>
</context>
<context>
    <name>rd::MigrateCustomerDialog</name>
    <message>
        <source>Migrate customer to its own reseller portal</source>
        <translation>Migrer le client vers son propre portail revendeur</translation>
    </message>
    <message>
        <source>Name of the new portal</source>
        <translation>Nom du nouveau portail</translation>
    </message>
    <message>
        <source>Problem with the portal name</source>
        <translation>Problème avec le nom du portail</translation>
    </message>
    <message>
        <source>Commission rate of the new portal, in percent</source>
        <translation>Taux de commission du nouveau portail, en pourcentage</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Problem with the commission rate</source>
        <translation>Problème avec le taux de commission</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>Votre mot de passe</translation>
    </message>
    <message>
        <source>Confirm with your own password</source>
        <translation>Confirmez avec votre propre mot de passe</translation>
    </message>
    <message>
        <source>Problem with the password</source>
        <translation>Problème avec le mot de passe</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Client&#xa0;:</translation>
    </message>
    <message>
        <source>Portal &amp;name:</source>
        <translation>&amp;Nom du portail&#xa0;:</translation>
    </message>
    <message>
        <source>Parent reseller:</source>
        <translation>Revendeur parent&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Commission rate:</source>
        <translation>Taux de &amp;commission&#xa0;:</translation>
    </message>
    <message>
        <source>Your &amp;password:</source>
        <translation>Votre mot de &amp;passe&#xa0;:</translation>
    </message>
    <message>
        <source>What will happen</source>
        <translation>Ce qui va se passer</translation>
    </message>
    <message>
        <source>Why Migrate is not available</source>
        <translation>Pourquoi la migration n’est pas disponible</translation>
    </message>
    <message>
        <source>&amp;Migrate</source>
        <translation>&amp;Migrer</translation>
    </message>
    <message>
        <source>Migrate the customer</source>
        <translation>Migrer le client</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Le client n’existe plus.</translation>
    </message>
    <message>
        <source>%1 (the current owner)</source>
        <translation>%1 (le propriétaire actuel)</translation>
    </message>
    <message>
        <source>None: a direct account becomes a top-level reseller</source>
        <translation>Aucun&#xa0;: un compte direct devient un revendeur de premier niveau</translation>
    </message>
    <message>
        <source>A reseller portal “%1” is created with a commission rate of %2 %, as a sub-portal of %3, which stays linked to it for commissions.</source>
        <translation>Un portail revendeur «&#xa0;%1&#xa0;» est créé avec un taux de commission de %2&#xa0;%, comme sous-portail de %3, qui lui reste lié pour les commissions.</translation>
    </message>
    <message>
        <source>A reseller portal “%1” is created with a commission rate of %2 %, as a top-level reseller (the customer is a direct account).</source>
        <translation>Un portail revendeur «&#xa0;%1&#xa0;» est créé avec un taux de commission de %2&#xa0;%, comme revendeur de premier niveau (le client est un compte direct).</translation>
    </message>
    <message>
        <source>%1 (%2) becomes the portal&apos;s Reseller Admin and keeps their access to %3.</source>
        <translation>%1 (%2) devient l’administrateur revendeur du portail et conserve son accès à %3.</translation>
    </message>
    <message>
        <source>The portal becomes the owner of %1; the assignment to %2 ends and stays in the history. Other assignments stay.</source>
        <translation>Le portail devient propriétaire de %1&#xa0;; l’affectation à %2 prend fin et reste dans l’historique. Les autres affectations sont conservées.</translation>
    </message>
    <message>
        <source>The portal becomes the owner of %1.</source>
        <translation>Le portail devient propriétaire de %1.</translation>
    </message>
    <message>
        <source>No email is sent: %1 is set to &quot;no email&quot;. Tell %2 yourself.</source>
        <translation>Aucun e-mail n’est envoyé&#xa0;: %1 est configuré sur «&#xa0;pas d’e-mail&#xa0;». Prévenez %2 vous-même.</translation>
    </message>
    <message>
        <source>An invitation email to the portal is sent to %1.</source>
        <translation>Un e-mail d’invitation au portail est envoyé à %1.</translation>
    </message>
    <message>
        <source>A customer migrates once; this cannot be repeated.</source>
        <translation>Un client ne migre qu’une fois&#xa0;; cette opération ne peut pas être répétée.</translation>
    </message>
    <message>
        <source>Enter the portal&apos;s name.</source>
        <translation>Saisissez le nom du portail.</translation>
    </message>
    <message>
        <source>Enter your password to confirm the migration.</source>
        <translation>Saisissez votre mot de passe pour confirmer la migration.</translation>
    </message>
    <message>
        <source>Migrate customer</source>
        <translation>Migrer le client</translation>
    </message>
</context>
<context>
    <name>rd::MoveCustomerDialog</name>
    <message>
        <source>Move customer</source>
        <translation>Déplacer le client</translation>
    </message>
    <message>
        <source>Give the customer another owner: a reseller, or nobody (a direct account). The current owner&apos;s assignment ends and stays in the history; additional assignments stay.</source>
        <translation>Donnez un autre propriétaire au client&#xa0;: un revendeur, ou personne (compte direct). L’affectation du propriétaire actuel prend fin et reste dans l’historique&#xa0;; les affectations supplémentaires sont conservées.</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>Nouveau propriétaire</translation>
    </message>
    <message>
        <source>Choose the new owner</source>
        <translation>Choisissez le nouveau propriétaire</translation>
    </message>
    <message>
        <source>Plan check for the new owner</source>
        <translation>Vérification du forfait pour le nouveau propriétaire</translation>
    </message>
    <message>
        <source>Plan with the new owner</source>
        <translation>Forfait chez le nouveau propriétaire</translation>
    </message>
    <message>
        <source>Choose a plan</source>
        <translation>Choisissez un forfait</translation>
    </message>
    <message>
        <source>Problem with the plan</source>
        <translation>Problème avec le forfait</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Client&#xa0;:</translation>
    </message>
    <message>
        <source>Current owner:</source>
        <translation>Propriétaire actuel&#xa0;:</translation>
    </message>
    <message>
        <source>Current plan:</source>
        <translation>Forfait actuel&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;New owner:</source>
        <translation>&amp;Nouveau propriétaire&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Plan:</source>
        <translation>&amp;Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>Why Move is not available</source>
        <translation>Pourquoi le déplacement n’est pas disponible</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Déplacer</translation>
    </message>
    <message>
        <source>Move the customer</source>
        <translation>Déplacer le client</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Le client n’existe plus.</translation>
    </message>
    <message>
        <source>None (direct account)</source>
        <translation>Aucun (compte direct)</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Compte direct (sans revendeur)</translation>
    </message>
    <message>
        <source>%1 (current plan)</source>
        <translation>%1 (forfait actuel)</translation>
    </message>
    <message>
        <source>A direct account keeps the plan %1.</source>
        <translation>Un compte direct conserve le forfait %1.</translation>
    </message>
    <message>
        <source>Offers the current plan %1.</source>
        <translation>Propose le forfait actuel %1.</translation>
    </message>
    <message>
        <source>Does not offer the current plan %1: choose one of its plans.</source>
        <translation>Ne propose pas le forfait actuel %1&#xa0;: choisissez l’un de ses forfaits.</translation>
    </message>
    <message>
        <source>There is no other active reseller to move to.</source>
        <translation>Il n’y a aucun autre revendeur actif vers lequel déplacer le client.</translation>
    </message>
    <message>
        <source>Choose the new owner.</source>
        <translation>Choisissez le nouveau propriétaire.</translation>
    </message>
    <message>
        <source>The new owner offers no plans; a customer cannot move there.</source>
        <translation>Le nouveau propriétaire ne propose aucun forfait&#xa0;; le client ne peut pas y être déplacé.</translation>
    </message>
    <message>
        <source>Choose the plan %1 will have.</source>
        <translation>Choisissez le forfait qu’aura %1.</translation>
    </message>
</context>
<context>
    <name>rd::OutboxPage</name>
    <message>
        <source>Show emails by status</source>
        <translation>Afficher les e-mails par statut</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Résultat inconnu</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Problems (failed or unknown)</source>
        <translation>Problèmes (échec ou résultat inconnu)</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>&amp;Statut&#xa0;:</translation>
    </message>
    <message>
        <source>Search emails</source>
        <translation>Rechercher des e-mails</translation>
    </message>
    <message>
        <source>Search recipient or subject</source>
        <translation>Rechercher un destinataire ou un objet</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Rechercher&#xa0;:</translation>
    </message>
    <message>
        <source>You can see the outbox; resending or cancelling an email needs the right to manage the customer or user it concerns.</source>
        <translation>Vous pouvez voir la boîte d’envoi&#xa0;; renvoyer ou annuler un e-mail nécessite le droit de gérer le client ou l’utilisateur concerné.</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Boîte d’envoi</translation>
    </message>
    <message>
        <source>&amp;Resend</source>
        <translation>Ren&amp;voyer</translation>
    </message>
    <message>
        <source>Queue the selected failed, unknown or cancelled emails again</source>
        <translation>Remettre en file d’attente les e-mails sélectionnés en échec, au résultat inconnu ou annulés</translation>
    </message>
    <message>
        <source>&amp;Cancel Email…</source>
        <translation>&amp;Annuler l’e-mail…</translation>
    </message>
    <message>
        <source>Stop the selected emails from being sent; a one-time code in them is erased</source>
        <translation>Empêcher l’envoi des e-mails sélectionnés&#xa0;; le code à usage unique qu’ils contiennent est effacé</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Load the outbox again</source>
        <translation>Recharger la boîte d’envoi</translation>
    </message>
    <message>
        <source>Outbox &amp;Columns</source>
        <translation>C&amp;olonnes de la boîte d’envoi</translation>
    </message>
    <message>
        <source>No email matches</source>
        <translation>Aucun e-mail ne correspond</translation>
    </message>
    <message>
        <source>The outbox is empty</source>
        <translation>La boîte d’envoi est vide</translation>
    </message>
    <message numerus="yes">
        <source>%n emails</source>
        <translation>
            <numerusform>%n e-mail</numerusform>
            <numerusform>%n e-mails</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>The email is queued again.</source>
        <translation>L’e-mail est remis en file d’attente.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails are queued again.</source>
        <translation>
            <numerusform>%n e-mail est remis en file d’attente.</numerusform>
            <numerusform>%n e-mails sont remis en file d’attente.</numerusform>
        </translation>
    </message>
    <message>
        <source>Resend Email</source>
        <translation>Renvoyer l’e-mail</translation>
    </message>
    <message>
        <source>These emails could not be queued again:</source>
        <translation>Ces e-mails n’ont pas pu être remis en file d’attente&#xa0;:</translation>
    </message>
    <message>
        <source>Cancel Email</source>
        <translation>Annuler l’e-mail</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n Emails</source>
        <translation>
            <numerusform>Annuler %n e-mail</numerusform>
            <numerusform>Annuler %n e-mails</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the email “%1” to %2?</source>
        <translation>Annuler l’e-mail «&#xa0;%1&#xa0;» à destination de %2&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>Cancel the %n selected emails?</source>
        <translation>
            <numerusform>Annuler l’e-mail sélectionné (%n)&#xa0;?</numerusform>
            <numerusform>Annuler les %n e-mails sélectionnés&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>A cancelled email is not sent. A one-time code it carries is erased, so such an email cannot be resent later: use Resend Setup Email or Reset Password for a new code.</source>
        <translation>Un e-mail annulé n’est pas envoyé. Le code à usage unique qu’il contient est effacé&#xa0;: un tel e-mail ne peut donc plus être renvoyé&#xa0;; utilisez Renvoyer l’e-mail de configuration ou Réinitialiser le mot de passe pour obtenir un nouveau code.</translation>
    </message>
    <message>
        <source>&amp;Cancel Email</source>
        <translation>&amp;Annuler l’e-mail</translation>
    </message>
    <message>
        <source>&amp;Cancel Emails</source>
        <translation>&amp;Annuler les e-mails</translation>
    </message>
    <message>
        <source>&amp;Keep</source>
        <translation>&amp;Conserver</translation>
    </message>
    <message>
        <source>The email is cancelled.</source>
        <translation>L’e-mail est annulé.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails are cancelled.</source>
        <translation>
            <numerusform>%n e-mail est annulé.</numerusform>
            <numerusform>%n e-mails sont annulés.</numerusform>
        </translation>
    </message>
    <message>
        <source>These emails could not be cancelled:</source>
        <translation>Ces e-mails n’ont pas pu être annulés&#xa0;:</translation>
    </message>
</context>
<context>
    <name>rd::OutboxTableModel</name>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Envoi en cours</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Résultat inconnu</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>Réinitialisation du mot de passe</translation>
    </message>
    <message>
        <source>Portal invitation</source>
        <translation>Invitation au portail</translation>
    </message>
    <message>
        <source>Trial reminder</source>
        <translation>Rappel de fin d’essai</translation>
    </message>
    <message>
        <source>Login As notice</source>
        <translation>Avis de connexion en tant que client</translation>
    </message>
    <message>
        <source>%1 — last error: %2</source>
        <translation>%1 — dernière erreur&#xa0;: %2</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Destinataire</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Dernière erreur</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Prochaine tentative</translation>
    </message>
</context>
<context>
    <name>rd::PlanPage</name>
    <message>
        <source>Plan and price list</source>
        <translation>Forfait et liste de prix</translation>
    </message>
    <message>
        <source>The plans offered depend on the reseller; the price list follows the reseller&apos;s pricing.</source>
        <translation>Les forfaits proposés dépendent du revendeur&#xa0;; la liste de prix suit la tarification du revendeur.</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>&amp;Reseller:</source>
        <translation>&amp;Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Forfait</translation>
    </message>
    <message>
        <source>Choose a plan</source>
        <translation>Choisissez un forfait</translation>
    </message>
    <message>
        <source>&amp;Plan:</source>
        <translation>&amp;Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Liste de prix</translation>
    </message>
    <message>
        <source>Price &amp;list:</source>
        <translation>&amp;Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>Monthly price</source>
        <translation>Prix mensuel</translation>
    </message>
    <message>
        <source>Monthly price:</source>
        <translation>Prix mensuel&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Trial</source>
        <translation>&amp;Essai</translation>
    </message>
    <message>
        <source>Trial</source>
        <translation>Essai</translation>
    </message>
    <message>
        <source>Pai&amp;d</source>
        <translation>&amp;Payant</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Payant</translation>
    </message>
    <message>
        <source>the plan&apos;s full monthly budget from the start</source>
        <translation>le quota mensuel complet du forfait dès le départ</translation>
    </message>
    <message>
        <source>Billing:</source>
        <translation>Facturation&#xa0;:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Paid: %1</source>
        <translation>Payant&#xa0;: %1</translation>
    </message>
    <message>
        <source>Trial: %1, until %2</source>
        <translation>Essai&#xa0;: %1, jusqu’au %2</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Compte direct (sans revendeur)</translation>
    </message>
    <message>
        <source>The trial terms could not be read: %1</source>
        <translation>Les conditions d’essai n’ont pas pu être lues&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1-day trial with %Ln identifications</source>
        <translation>
            <numerusform>Essai de %1 jours avec %Ln identification</numerusform>
            <numerusform>Essai de %1 jours avec %Ln identifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln identification par mois</numerusform>
            <numerusform>%1 — %Ln identifications par mois</numerusform>
        </translation>
    </message>
    <message>
        <source>Direct accounts get the default price list %1.</source>
        <translation>Les comptes directs reçoivent la liste de prix par défaut %1.</translation>
    </message>
    <message>
        <source>%1 gives its customers the price list %2.</source>
        <translation>%1 attribue à ses clients la liste de prix %2.</translation>
    </message>
    <message>
        <source>Choose a price list.</source>
        <translation>Choisissez une liste de prix.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2. Choose another plan or price list.</source>
        <translation>La liste de prix %1 n’a pas de prix pour le forfait %2. Choisissez un autre forfait ou une autre liste de prix.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2. Choose another plan.</source>
        <translation>La liste de prix %1 n’a pas de prix pour le forfait %2. Choisissez un autre forfait.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1&#xa0;%2</translation>
    </message>
</context>
<context>
    <name>rd::RaiseTrialBudgetDialog</name>
    <message>
        <source>Raise trial budget</source>
        <translation>Augmenter le quota d’essai</translation>
    </message>
    <message>
        <source>New trial budget</source>
        <translation>Nouveau quota d’essai</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Obligatoire&#xa0;: enregistré dans le journal d’audit</translation>
    </message>
    <message>
        <source>&amp;New budget:</source>
        <translation>&amp;Nouveau quota&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Current budget:</source>
        <translation>Quota actuel&#xa0;:</translation>
    </message>
    <message>
        <source>R&amp;aise budget</source>
        <translation>&amp;Augmenter le quota</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Le client n’a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 is a paid account; its budget is the plan&apos;s.</source>
        <translation>%1 est un compte payant&#xa0;; son quota est celui du forfait.</translation>
    </message>
    <message>
        <source>No trial</source>
        <translation>Pas d’essai</translation>
    </message>
    <message>
        <source>The trial of %1 may use more identifications; the new budget applies at once.</source>
        <translation>L’essai de %1 peut utiliser davantage d’identifications&#xa0;; le nouveau quota s’applique immédiatement.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s)</source>
        <translation>
            <numerusform>%Ln identification</numerusform>
            <numerusform>%Ln identifications</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Chargement du client…</translation>
    </message>
    <message>
        <source>Your role cannot change trials.</source>
        <translation>Votre rôle ne permet pas de modifier les essais.</translation>
    </message>
    <message>
        <source>Reload the customer before raising the budget.</source>
        <translation>Rechargez le client avant d’augmenter le quota.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 n’est pas en essai.</translation>
    </message>
    <message numerus="yes">
        <source>The trial budget is already at the maximum of %Ln identification(s).</source>
        <translation>
            <numerusform>Le quota d’essai est déjà au maximum de %Ln identification.</numerusform>
            <numerusform>Le quota d’essai est déjà au maximum de %Ln identifications.</numerusform>
        </translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Indiquez un motif&#xa0;; il est conservé dans le journal d’audit.</translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln identification(s).</source>
        <translation>
            <numerusform>Au plus %Ln identification.</numerusform>
            <numerusform>Au plus %Ln identifications.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload shows the trial as it is saved now; the reason you entered stays.</source>
        <translation>Recharger affiche l’essai tel qu’il est enregistré actuellement&#xa0;; le motif saisi est conservé.</translation>
    </message>
</context>
<context>
    <name>rd::ReasonDialog</name>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Obligatoire&#xa0;: enregistré dans le journal d’audit</translation>
    </message>
    <message>
        <source>Optional: recorded in the audit log</source>
        <translation>Facultatif&#xa0;: enregistré dans le journal d’audit</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Give a reason; it is kept with the change.</source>
        <translation>Indiquez un motif&#xa0;; il est conservé avec la modification.</translation>
    </message>
</context>
<context>
    <name>rd::ResellerDialog</name>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Edit Reseller</source>
        <translation>Modifier le revendeur</translation>
    </message>
    <message>
        <source>New Reseller</source>
        <translation>Nouveau revendeur</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>The partner company&apos;s name, unique</source>
        <translation>Le nom de la société partenaire, unique</translation>
    </message>
    <message>
        <source>Parent reseller</source>
        <translation>Revendeur parent</translation>
    </message>
    <message>
        <source>Commission rate</source>
        <translation>Taux de commission</translation>
    </message>
    <message>
        <source>Override rate</source>
        <translation>Taux de surcommission</translation>
    </message>
    <message>
        <source>&amp;Assigned customers</source>
        <translation>Clients &amp;affectés</translation>
    </message>
    <message>
        <source>All c&amp;ustomers</source>
        <translation>&amp;Tous les clients</translation>
    </message>
    <message>
        <source>C&amp;hannel price list (the default)</source>
        <translation>Liste de prix du canal (par &amp;défaut)</translation>
    </message>
    <message>
        <source>Selec&amp;ted price list:</source>
        <translation>Liste de prix sé&amp;lectionnée&#xa0;:</translation>
    </message>
    <message>
        <source>Selected price list</source>
        <translation>Liste de prix sélectionnée</translation>
    </message>
    <message>
        <source>Plans offered</source>
        <translation>Forfaits proposés</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Parent reseller:</source>
        <translation>Revendeur &amp;parent&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Commission rate:</source>
        <translation>Taux de &amp;commission&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Override rate:</source>
        <translation>Taux de &amp;surcommission&#xa0;:</translation>
    </message>
    <message>
        <source>Plans o&amp;ffered:</source>
        <translation>Forfaits pr&amp;oposés&#xa0;:</translation>
    </message>
    <message>
        <source>Customer scope:</source>
        <translation>Périmètre clients&#xa0;:</translation>
    </message>
    <message>
        <source>Pricing:</source>
        <translation>Tarification&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>&amp;Add Reseller</source>
        <translation>A&amp;jouter le revendeur</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln identification par mois</numerusform>
            <numerusform>%1 — %Ln identifications par mois</numerusform>
        </translation>
    </message>
    <message>
        <source>The plans could not be loaded: %1</source>
        <translation>Les forfaits n’ont pas pu être chargés&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>C&amp;hannel price list (the default, now %1)</source>
        <translation>Liste de prix du canal (par &amp;défaut, actuellement %1)</translation>
    </message>
    <message>
        <source>None (a top-level reseller)</source>
        <translation>Aucun (revendeur de premier niveau)</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (inactif)</translation>
    </message>
    <message>
        <source>Edit Reseller — %1</source>
        <translation>Modifier le revendeur — %1</translation>
    </message>
    <message>
        <source>Enter the reseller&apos;s name.</source>
        <translation>Saisissez le nom du revendeur.</translation>
    </message>
    <message>
        <source>Choose the price list this reseller&apos;s customers are priced on.</source>
        <translation>Choisissez la liste de prix sur laquelle sont tarifés les clients de ce revendeur.</translation>
    </message>
    <message>
        <source>Choose at least one plan the reseller offers.</source>
        <translation>Choisissez au moins un forfait proposé par le revendeur.</translation>
    </message>
    <message>
        <source>What the parent reseller earns on this portal&apos;s orders.</source>
        <translation>Ce que le revendeur parent perçoit sur les commandes de ce portail.</translation>
    </message>
    <message>
        <source>Only for a sub-portal: choose a parent reseller first.</source>
        <translation>Uniquement pour un sous-portail&#xa0;: choisissez d’abord un revendeur parent.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see every customer of the installation, whoever it is assigned to. Meant for a portal the vendor runs itself.</source>
        <translation>Les utilisateurs du revendeur voient tous les clients de l’installation, quel que soit le revendeur auquel ils sont affectés. Destiné à un portail géré par l’éditeur lui-même.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see the customers assigned to this reseller, as owner or in addition. The usual choice.</source>
        <translation>Les utilisateurs du revendeur voient les clients affectés à ce revendeur, comme propriétaire ou en supplément. Le choix habituel.</translation>
    </message>
    <message>
        <source>Reseller Changed</source>
        <translation>Revendeur modifié</translation>
    </message>
    <message>
        <source>Reload shows the reseller as it is now and discards the changes you made in this dialog.</source>
        <translation>Recharger affiche le revendeur tel qu’il est actuellement et abandonne les modifications faites dans cette boîte de dialogue.</translation>
    </message>
</context>
<context>
    <name>rd::ResellerTableModel</name>
    <message>
        <source>%1 earns an override of %2 on this portal&apos;s orders.</source>
        <translation>%1 perçoit une surcommission de %2 sur les commandes de ce portail.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see every customer of the installation.</source>
        <translation>Les utilisateurs du revendeur voient tous les clients de l’installation.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see the customers assigned to it.</source>
        <translation>Les utilisateurs du revendeur voient les clients qui lui sont affectés.</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>All customers</source>
        <translation>Tous les clients</translation>
    </message>
    <message>
        <source>Assigned customers</source>
        <translation>Clients affectés</translation>
    </message>
    <message>
        <source>Channel price list</source>
        <translation>Liste de prix du canal</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Revendeur</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Revendeur parent</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Active customers</source>
        <translation>Clients actifs</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>Essais</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Commission</translation>
    </message>
    <message>
        <source>Customer scope</source>
        <translation>Périmètre clients</translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation>Tarification</translation>
    </message>
</context>
<context>
    <name>rd::ResellersPage</name>
    <message>
        <source>Filter resellers</source>
        <translation>Filtrer les revendeurs</translation>
    </message>
    <message>
        <source>Name, parent, status…</source>
        <translation>Nom, parent, statut…</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filtre&#xa0;:</translation>
    </message>
    <message>
        <source>Resellers</source>
        <translation>Revendeurs</translation>
    </message>
    <message>
        <source>&amp;New Reseller…</source>
        <translation>&amp;Nouveau revendeur…</translation>
    </message>
    <message>
        <source>Add a reseller portal</source>
        <translation>Ajouter un portail revendeur</translation>
    </message>
    <message>
        <source>&amp;Edit Reseller…</source>
        <translation>&amp;Modifier le revendeur…</translation>
    </message>
    <message>
        <source>Edit the selected reseller</source>
        <translation>Modifier le revendeur sélectionné</translation>
    </message>
    <message>
        <source>&amp;Deactivate Reseller…</source>
        <translation>&amp;Désactiver le revendeur…</translation>
    </message>
    <message>
        <source>Deactivate the selected reseller, with a reason</source>
        <translation>Désactiver le revendeur sélectionné, avec un motif</translation>
    </message>
    <message>
        <source>&amp;Reactivate Reseller</source>
        <translation>&amp;Réactiver le revendeur</translation>
    </message>
    <message>
        <source>Reactivate the selected reseller</source>
        <translation>Réactiver le revendeur sélectionné</translation>
    </message>
    <message>
        <source>Reactivate Reseller</source>
        <translation>Réactiver le revendeur</translation>
    </message>
    <message>
        <source>Deactivate Reseller</source>
        <translation>Désactiver le revendeur</translation>
    </message>
    <message>
        <source>Reactivate %1? Its users can work in the portal again, and it can be chosen for new customers and transfers.</source>
        <translation>Réactiver %1&#xa0;? Ses utilisateurs pourront de nouveau travailler dans le portail, et il pourra être choisi pour de nouveaux clients et des transferts.</translation>
    </message>
    <message>
        <source>Deactivate %1? Its users can no longer work in the portal, and it cannot be chosen for new customers or transfers. Its customers and history are kept; you can reactivate it later.</source>
        <translation>Désactiver %1&#xa0;? Ses utilisateurs ne pourront plus travailler dans le portail, et il ne pourra plus être choisi pour de nouveaux clients ni des transferts. Ses clients et son historique sont conservés&#xa0;; vous pourrez le réactiver plus tard.</translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation>&amp;Réactiver</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln resellers</source>
        <translation>
            <numerusform>%1 sur %Ln revendeur</numerusform>
            <numerusform>%1 sur %Ln revendeurs</numerusform>
        </translation>
    </message>
    <message>
        <source>1 reseller</source>
        <translation>1 revendeur</translation>
    </message>
    <message numerus="yes">
        <source>%Ln resellers</source>
        <translation>
            <numerusform>%Ln revendeur</numerusform>
            <numerusform>%Ln revendeurs</numerusform>
        </translation>
    </message>
    <message>
        <source>No resellers match “%1”.</source>
        <translation>Aucun revendeur ne correspond à «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>No resellers yet — add one with New Reseller…</source>
        <translation>Aucun revendeur pour l’instant — ajoutez-en un avec Nouveau revendeur…</translation>
    </message>
    <message>
        <source>No resellers yet.</source>
        <translation>Aucun revendeur pour l’instant.</translation>
    </message>
</context>
<context>
    <name>rd::ReviewPage</name>
    <message>
        <source>Review</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Check the details, then create the customer. Use Back to change anything.</source>
        <translation>Vérifiez les informations, puis créez le client. Utilisez Précédent pour modifier quoi que ce soit.</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>Société&#xa0;:</translation>
    </message>
    <message>
        <source>Website:</source>
        <translation>Site web&#xa0;:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>Contact&#xa0;:</translation>
    </message>
    <message>
        <source>Email (login):</source>
        <translation>E-mail (identifiant)&#xa0;:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Téléphone&#xa0;:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Revendeur&#xa0;:</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Forfait&#xa0;:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Liste de prix&#xa0;:</translation>
    </message>
    <message>
        <source>Monthly price:</source>
        <translation>Prix mensuel&#xa0;:</translation>
    </message>
    <message>
        <source>Billing:</source>
        <translation>Facturation&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Send setup email</source>
        <translation>&amp;Envoyer l’e-mail de configuration</translation>
    </message>
    <message>
        <source>Send setup email</source>
        <translation>Envoyer l’e-mail de configuration</translation>
    </message>
    <message numerus="yes">
        <source>%1 gets an email with the login and a one-time password that is valid for %n days, and how to open the client view.</source>
        <translation>
            <numerusform>%1 reçoit un e-mail avec l’identifiant et un mot de passe à usage unique valable %n jour, ainsi que la façon d’ouvrir la vue client.</numerusform>
            <numerusform>%1 reçoit un e-mail avec l’identifiant et un mot de passe à usage unique valable %n jours, ainsi que la façon d’ouvrir la vue client.</numerusform>
        </translation>
    </message>
    <message>
        <source>The client gets no notification at all that the account exists. You can send the setup email later with “Resend setup email” in the customer&apos;s details.</source>
        <translation>Le client ne reçoit aucune notification de l’existence du compte. Vous pourrez envoyer l’e-mail de configuration plus tard avec «&#xa0;Renvoyer l’e-mail de configuration&#xa0;» dans les détails du client.</translation>
    </message>
</context>
<context>
    <name>rd::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Kept in the database, shared by every desktop that uses it.</source>
        <translation>Conservés dans la base de données et partagés par tous les postes qui l’utilisent.</translation>
    </message>
    <message>
        <source>You can see these settings; only administrators can change them.</source>
        <translation>Vous pouvez voir ces paramètres&#xa0;; seuls les administrateurs peuvent les modifier.</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>Essais</translation>
    </message>
    <message>
        <source>Trial length in days</source>
        <translation>Durée de l’essai en jours</translation>
    </message>
    <message>
        <source>Trial budget</source>
        <translation>Quota d’essai</translation>
    </message>
    <message>
        <source>Reminder days before the end</source>
        <translation>Jours de rappel avant la fin</translation>
    </message>
    <message>
        <source>Longest single extension in days</source>
        <translation>Plus longue prolongation unique en jours</translation>
    </message>
    <message>
        <source>Longest trial in total in days</source>
        <translation>Durée totale maximale d’un essai en jours</translation>
    </message>
    <message>
        <source>Highest trial budget</source>
        <translation>Quota d’essai maximal</translation>
    </message>
    <message>
        <source>&amp;Trial length (days):</source>
        <translation>&amp;Durée de l’essai (jours)&#xa0;:</translation>
    </message>
    <message>
        <source>How long a new trial runs.</source>
        <translation>Durée d’un nouvel essai.</translation>
    </message>
    <message>
        <source>Trial &amp;budget (identifications):</source>
        <translation>&amp;Quota d’essai (identifications)&#xa0;:</translation>
    </message>
    <message>
        <source>The identifications a new trial may use.</source>
        <translation>Nombre d’identifications qu’un nouvel essai peut utiliser.</translation>
    </message>
    <message>
        <source>&amp;Reminder before the end (days):</source>
        <translation>&amp;Rappel avant la fin (jours)&#xa0;:</translation>
    </message>
    <message>
        <source>The reminder email is sent this many days before a trial ends.</source>
        <translation>L’e-mail de rappel est envoyé ce nombre de jours avant la fin d’un essai.</translation>
    </message>
    <message>
        <source>Longest single &amp;extension (days):</source>
        <translation>Plus longue &amp;prolongation unique (jours)&#xa0;:</translation>
    </message>
    <message>
        <source>The most days one extension may add.</source>
        <translation>Nombre maximal de jours qu’une prolongation peut ajouter.</translation>
    </message>
    <message>
        <source>Longest trial in t&amp;otal (days):</source>
        <translation>Durée &amp;totale maximale d’un essai (jours)&#xa0;:</translation>
    </message>
    <message>
        <source>No trial, however often extended, ends later than this after it began.</source>
        <translation>Aucun essai, même prolongé plusieurs fois, ne se termine plus tard que ce délai après son début.</translation>
    </message>
    <message>
        <source>&amp;Highest trial budget (identifications):</source>
        <translation>Quota d’essai ma&amp;ximal (identifications)&#xa0;:</translation>
    </message>
    <message>
        <source>The most a trial budget may be raised to.</source>
        <translation>Valeur maximale à laquelle un quota d’essai peut être augmenté.</translation>
    </message>
    <message>
        <source>Login As</source>
        <translation>Connexion en tant que client</translation>
    </message>
    <message>
        <source>Login As session length in minutes</source>
        <translation>Durée d’une session en tant que client, en minutes</translation>
    </message>
    <message>
        <source>Session le&amp;ngth (minutes):</source>
        <translation>Durée de la &amp;session (minutes)&#xa0;:</translation>
    </message>
    <message>
        <source>A Login As session closes by itself after this time.</source>
        <translation>Une session en tant que client se ferme d’elle-même au bout de ce délai.</translation>
    </message>
    <message>
        <source>Notif&amp;y the client by email when someone logs in as them</source>
        <translation>&amp;Notifier le client par e-mail lorsque quelqu’un se connecte en son nom</translation>
    </message>
    <message>
        <source>Notify the client on Login As</source>
        <translation>Notifier le client lors d’une connexion en tant que client</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Général</translation>
    </message>
    <message>
        <source>E&amp;mail</source>
        <translation>E-&amp;mail</translation>
    </message>
    <message>
        <source>The settings could not be read: %1</source>
        <translation>Les paramètres n’ont pas pu être lus&#xa0;: %1</translation>
    </message>
    <message>
        <source>Settings Changed</source>
        <translation>Paramètres modifiés</translation>
    </message>
    <message>
        <source>Reload shows the settings as they are now and discards the changes you made in this dialog.</source>
        <translation>Recharger affiche les paramètres tels qu’ils sont actuellement et abandonne les modifications faites dans cette boîte de dialogue.</translation>
    </message>
</context>
<context>
    <name>rd::SignInDialog</name>
    <message>
        <source>Sign in to ResellerDesk</source>
        <translation>Se connecter à ResellerDesk</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nom@example.com</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation>Problème de connexion</translation>
    </message>
    <message>
        <source>You have access in several places. Where do you want to work now?</source>
        <translation>Vous avez des accès à plusieurs endroits. Où voulez-vous travailler maintenant&#xa0;?</translation>
    </message>
    <message>
        <source>Where to work</source>
        <translation>Où travailler</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Se connecter</translation>
    </message>
    <message>
        <source>Change &amp;Database…</source>
        <translation>Changer de &amp;base de données…</translation>
    </message>
    <message>
        <source>Open another SQLite file or PostgreSQL server</source>
        <translation>Ouvrir un autre fichier SQLite ou serveur PostgreSQL</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Continuer</translation>
    </message>
</context>
<context>
    <name>rd::SmtpSettingsPage</name>
    <message>
        <source>&amp;Deliver email through this server</source>
        <translation>&amp;Distribuer les e-mails via ce serveur</translation>
    </message>
    <message>
        <source>Deliver email through this server</source>
        <translation>Distribuer les e-mails via ce serveur</translation>
    </message>
    <message>
        <source>While this is off, emails wait in the outbox.</source>
        <translation>Tant que cette option est désactivée, les e-mails attendent dans la boîte d’envoi.</translation>
    </message>
    <message>
        <source>Mail server host</source>
        <translation>Hôte du serveur de messagerie</translation>
    </message>
    <message>
        <source>e.g. smtp.example.com</source>
        <translation>p. ex. smtp.example.com</translation>
    </message>
    <message>
        <source>Mail server port</source>
        <translation>Port du serveur de messagerie</translation>
    </message>
    <message>
        <source>Connection security</source>
        <translation>Sécurité de la connexion</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>Implicit TLS (port 465)</source>
        <translation>TLS implicite (port 465)</translation>
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation>Aucune (non chiffrée)</translation>
    </message>
    <message>
        <source>Without encryption, anyone on the network path can read the emails, including the one-time setup codes they carry. Use this only for a relay on this computer or a trusted network.</source>
        <translation>Sans chiffrement, n’importe qui sur le chemin réseau peut lire les e-mails, y compris les codes de configuration à usage unique qu’ils contiennent. N’utilisez cette option que pour un relais sur cet ordinateur ou sur un réseau de confiance.</translation>
    </message>
    <message>
        <source>Warning about unencrypted mail</source>
        <translation>Avertissement concernant les e-mails non chiffrés</translation>
    </message>
    <message>
        <source>Allo&amp;w the password without encryption</source>
        <translation>Autoriser le mot de passe sans chi&amp;ffrement</translation>
    </message>
    <message>
        <source>Allow the password without encryption</source>
        <translation>Autoriser le mot de passe sans chiffrement</translation>
    </message>
    <message>
        <source>Only with security None: the user name and password are sent as readable text.</source>
        <translation>Uniquement avec la sécurité Aucune&#xa0;: le nom d’utilisateur et le mot de passe sont envoyés en clair.</translation>
    </message>
    <message>
        <source>CA certificates file</source>
        <translation>Fichier de certificats d’autorité (CA)</translation>
    </message>
    <message>
        <source>Optional: a PEM file, e.g. your company&apos;s CA</source>
        <translation>Facultatif&#xa0;: un fichier PEM, p. ex. l’autorité de certification de votre entreprise</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>Browse for the CA certificates file</source>
        <translation>Rechercher le fichier de certificats d’autorité</translation>
    </message>
    <message>
        <source>SMTP user name</source>
        <translation>Nom d’utilisateur SMTP</translation>
    </message>
    <message>
        <source>Empty when the server needs no sign-in</source>
        <translation>Vide si le serveur ne demande pas d’authentification</translation>
    </message>
    <message>
        <source>SMTP password</source>
        <translation>Mot de passe SMTP</translation>
    </message>
    <message>
        <source>&amp;Keep the password in this computer&apos;s keychain</source>
        <translation>Conser&amp;ver le mot de passe dans le trousseau de cet ordinateur</translation>
    </message>
    <message>
        <source>Keep the password in this computer&apos;s keychain</source>
        <translation>Conserver le mot de passe dans le trousseau de cet ordinateur</translation>
    </message>
    <message>
        <source>About the keychain</source>
        <translation>À propos du trousseau</translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation>Adresse de l’expéditeur</translation>
    </message>
    <message>
        <source>e.g. support@example.com</source>
        <translation>p. ex. support@example.com</translation>
    </message>
    <message>
        <source>Sender name</source>
        <translation>Nom de l’expéditeur</translation>
    </message>
    <message>
        <source>Optional, e.g. your company&apos;s name</source>
        <translation>Facultatif, p. ex. le nom de votre entreprise</translation>
    </message>
    <message>
        <source>Send Test &amp;Email…</source>
        <translation>Envoyer un e-mail de t&amp;est…</translation>
    </message>
    <message>
        <source>Send a test email</source>
        <translation>Envoyer un e-mail de test</translation>
    </message>
    <message>
        <source>Sends one message with the settings as entered, before saving.</source>
        <translation>Envoie un message avec les paramètres saisis, avant l’enregistrement.</translation>
    </message>
    <message>
        <source>Test email result</source>
        <translation>Résultat de l’e-mail de test</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte&#xa0;:</translation>
    </message>
    <message>
        <source>Se&amp;curity:</source>
        <translation>&amp;Sécurité&#xa0;:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>Por&amp;t&#xa0;:</translation>
    </message>
    <message>
        <source>CA cer&amp;tificates:</source>
        <translation>Certificats &amp;CA&#xa0;:</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Authentification</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Nom d’utilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Expéditeur</translation>
    </message>
    <message>
        <source>Sender &amp;address:</source>
        <translation>&amp;Adresse de l’expéditeur&#xa0;:</translation>
    </message>
    <message>
        <source>Sender &amp;name:</source>
        <translation>Nom de l’e&amp;xpéditeur&#xa0;:</translation>
    </message>
    <message>
        <source>Not needed without a user name</source>
        <translation>Inutile sans nom d’utilisateur</translation>
    </message>
    <message>
        <source>Stored in the keychain; type to replace it</source>
        <translation>Enregistré dans le trousseau&#xa0;; saisissez-en un autre pour le remplacer</translation>
    </message>
    <message>
        <source>Not stored on this computer</source>
        <translation>Non enregistré sur cet ordinateur</translation>
    </message>
    <message>
        <source>%1
The password is not stored: this desktop will ask for it when it sends mail.</source>
        <translation>%1
Le mot de passe n’est pas enregistré&#xa0;: ce poste le demandera lorsqu’il enverra des e-mails.</translation>
    </message>
    <message>
        <source>Saving removes the stored password from this computer&apos;s keychain.</source>
        <translation>L’enregistrement supprime le mot de passe conservé dans le trousseau de cet ordinateur.</translation>
    </message>
    <message>
        <source>Without a stored password this desktop does not deliver mail; another desktop that has it, or the dispatch service, does.</source>
        <translation>Sans mot de passe enregistré, ce poste n’envoie pas d’e-mails&#xa0;; c’est un autre poste qui le possède, ou le service d’envoi, qui s’en charge.</translation>
    </message>
    <message>
        <source>Choose the CA certificates file</source>
        <translation>Choisir le fichier de certificats d’autorité</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificats PEM (*.pem *.crt *.cer);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Enter the mail server&apos;s host name.</source>
        <translation>Saisissez le nom d’hôte du serveur de messagerie.</translation>
    </message>
    <message>
        <source>Enter the sender address.</source>
        <translation>Saisissez l’adresse de l’expéditeur.</translation>
    </message>
    <message>
        <source>Not sent: enter the password; none is stored on this computer for %1.</source>
        <translation>Non envoyé&#xa0;: saisissez le mot de passe&#xa0;; aucun n’est enregistré sur cet ordinateur pour %1.</translation>
    </message>
    <message>
        <source>Send Test Email</source>
        <translation>Envoyer un e-mail de test</translation>
    </message>
    <message>
        <source>Send a test message to:</source>
        <translation>Envoyer un message de test à&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>ResellerDesk test email</source>
        <translation>E-mail de test ResellerDesk</translation>
    </message>
    <message>
        <source>This message was sent from the ResellerDesk settings by %1 to check the mail server %2:%3.

If you can read it, ResellerDesk can deliver email.
</source>
        <translation>Ce message a été envoyé depuis les paramètres de ResellerDesk par %1 pour vérifier le serveur de messagerie %2:%3.

Si vous pouvez le lire, ResellerDesk est en mesure d’envoyer des e-mails.
</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>Sending a test message to %1…</source>
        <translation>Envoi d’un message de test à %1…</translation>
    </message>
    <message>
        <source>Sent to %1. The server accepted it as Message-ID %2.</source>
        <translation>Envoyé à %1. Le serveur l’a accepté avec le Message-ID %2.</translation>
    </message>
</context>
<context>
    <name>rd::TextLimits</name>
    <message numerus="yes">
        <source>%1 may be at most %n characters.</source>
        <translation>
            <numerusform>%1 ne peut pas dépasser %n caractère.</numerusform>
            <numerusform>%1 ne peut pas dépasser %n caractères.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::UsageImportDialog</name>
    <message>
        <source>Import Usage</source>
        <translation>Importer la consommation</translation>
    </message>
    <message>
        <source>Imports the metering system&apos;s monthly export: a CSV file with a header row naming the columns customer_id (or domain), month (YYYY-MM) and used. The file is checked first; nothing changes until you choose Import.</source>
        <translation>Importe l’export mensuel du système de comptage&#xa0;: un fichier CSV avec une ligne d’en-tête nommant les colonnes customer_id (ou domain), month (AAAA-MM) et used. Le fichier est d’abord vérifié&#xa0;; rien ne change tant que vous n’avez pas choisi Importer.</translation>
    </message>
    <message>
        <source>Usage file</source>
        <translation>Fichier de consommation</translation>
    </message>
    <message>
        <source>Choose a CSV file…</source>
        <translation>Choisir un fichier CSV…</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>&amp;Check File</source>
        <translation>&amp;Vérifier le fichier</translation>
    </message>
    <message>
        <source>Refused rows</source>
        <translation>Lignes refusées</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose the file to import.</source>
        <translation>Choisissez le fichier à importer.</translation>
    </message>
    <message>
        <source>%1 is too large for a usage export.</source>
        <translation>%1 est trop volumineux pour un export de consommation.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 ne peut pas être lu&#xa0;: %2</translation>
    </message>
    <message>
        <source>Rows read: %1. Ready to import: %2. Refused: %3 (listed below; they will be skipped).</source>
        <translation>Lignes lues&#xa0;: %1. Prêtes à importer&#xa0;: %2. Refusées&#xa0;: %3 (listées ci-dessous&#xa0;; elles seront ignorées).</translation>
    </message>
    <message>
        <source>Rows read: %1. Nothing can be imported. Refused: %2.</source>
        <translation>Lignes lues&#xa0;: %1. Rien ne peut être importé. Refusées&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Rows read: %1. Imported: %2. Refused: %3.</source>
        <translation>Lignes lues&#xa0;: %1. Importées&#xa0;: %2. Refusées&#xa0;: %3.</translation>
    </message>
</context>
<context>
    <name>rd::UserTableModel</name>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Locked out after failed sign-ins; the lock ends by itself.</source>
        <translation>Verrouillé après des échecs de connexion&#xa0;; le verrouillage se lève de lui-même.</translation>
    </message>
    <message>
        <source>The vendor: every reseller and customer</source>
        <translation>L’éditeur&#xa0;: tous les revendeurs et clients</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Portail revendeur</translation>
    </message>
    <message>
        <source>Client account</source>
        <translation>Compte client</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Dernière connexion</translation>
    </message>
</context>
<context>
    <name>rd::UsersPage</name>
    <message>
        <source>Filter users</source>
        <translation>Filtrer les utilisateurs</translation>
    </message>
    <message>
        <source>Filter by the start of the email, name or context</source>
        <translation>Filtrer par début de l’e-mail, du nom ou du contexte</translation>
    </message>
    <message>
        <source>Fil&amp;ter:</source>
        <translation>Fil&amp;tre&#xa0;:</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>&amp;New User…</source>
        <translation>&amp;Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>Add a user, or give an existing login access to another context</source>
        <translation>Ajouter un utilisateur, ou donner à un identifiant existant l’accès à un autre contexte</translation>
    </message>
    <message>
        <source>Change &amp;Role…</source>
        <translation>Changer le &amp;rôle…</translation>
    </message>
    <message>
        <source>Give the selected membership another role</source>
        <translation>Attribuer un autre rôle à l’accès sélectionné</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message>
        <source>Stop the selected memberships from being used; nothing is deleted</source>
        <translation>Empêcher l’utilisation des accès sélectionnés&#xa0;; rien n’est supprimé</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>Ré&amp;activer</translation>
    </message>
    <message>
        <source>Let the selected memberships be used again</source>
        <translation>Permettre à nouveau l’utilisation des accès sélectionnés</translation>
    </message>
    <message>
        <source>Reset &amp;Password…</source>
        <translation>Réinitialiser le mot de &amp;passe…</translation>
    </message>
    <message>
        <source>Queue a setup email with a one-time code; the old password stops working</source>
        <translation>Mettre en file d’attente un e-mail de configuration avec un code à usage unique&#xa0;; l’ancien mot de passe cesse de fonctionner</translation>
    </message>
    <message numerus="yes">
        <source>Showing %1 of %n memberships</source>
        <translation>
            <numerusform>%1 affiché sur %n accès</numerusform>
            <numerusform>%1 affichés sur %n accès</numerusform>
        </translation>
    </message>
    <message>
        <source>1 membership</source>
        <translation>1 accès</translation>
    </message>
    <message numerus="yes">
        <source>%n memberships</source>
        <translation>
            <numerusform>%n accès</numerusform>
            <numerusform>%n accès</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recharger</translation>
    </message>
    <message>
        <source>%1 now has the %2 role in %3.</source>
        <translation>%1 a désormais le rôle %2 dans %3.</translation>
    </message>
    <message>
        <source>Reactivate Membership</source>
        <translation>Réactiver l’accès</translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n Memberships</source>
        <translation>
            <numerusform>Réactiver %n accès</numerusform>
            <numerusform>Réactiver %n accès</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can work in %2 as %3 again (unless the portal or account itself is deactivated).</source>
        <translation>%1 peut de nouveau travailler dans %2 en tant que %3 (sauf si le portail ou le compte lui-même est désactivé).</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can be used again (unless their portal or account is deactivated).</source>
        <translation>
            <numerusform>L’accès sélectionné (%n) peut de nouveau être utilisé (sauf si son portail ou son compte est désactivé).</numerusform>
            <numerusform>Les %n accès sélectionnés peuvent de nouveau être utilisés (sauf si leur portail ou leur compte est désactivé).</numerusform>
        </translation>
    </message>
    <message>
        <source>Deactivate Membership</source>
        <translation>Désactiver l’accès</translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n Memberships</source>
        <translation>
            <numerusform>Désactiver %n accès</numerusform>
            <numerusform>Désactiver %n accès</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can no longer work in %2 as %3. Nothing is deleted: you can reactivate the membership later. A user with no usable membership left cannot sign in.</source>
        <translation>%1 ne peut plus travailler dans %2 en tant que %3. Rien n’est supprimé&#xa0;: vous pourrez réactiver l’accès plus tard. Un utilisateur qui n’a plus aucun accès utilisable ne peut pas se connecter.</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can no longer be used. Nothing is deleted: you can reactivate them later. A user with no usable membership left cannot sign in.</source>
        <translation>
            <numerusform>L’accès sélectionné (%n) ne peut plus être utilisé. Rien n’est supprimé&#xa0;: vous pourrez le réactiver plus tard. Un utilisateur qui n’a plus aucun accès utilisable ne peut pas se connecter.</numerusform>
            <numerusform>Les %n accès sélectionnés ne peuvent plus être utilisés. Rien n’est supprimé&#xa0;: vous pourrez les réactiver plus tard. Un utilisateur qui n’a plus aucun accès utilisable ne peut pas se connecter.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>The membership is reactivated.</source>
        <translation>L’accès est réactivé.</translation>
    </message>
    <message>
        <source>The membership is deactivated.</source>
        <translation>L’accès est désactivé.</translation>
    </message>
    <message numerus="yes">
        <source>%n memberships reactivated.</source>
        <translation>
            <numerusform>%n accès réactivé.</numerusform>
            <numerusform>%n accès réactivés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n memberships deactivated.</source>
        <translation>
            <numerusform>%n accès désactivé.</numerusform>
            <numerusform>%n accès désactivés.</numerusform>
        </translation>
    </message>
    <message>
        <source>These memberships could not be changed:</source>
        <translation>Ces accès n’ont pas pu être modifiés&#xa0;:</translation>
    </message>
    <message>
        <source>Reset Password</source>
        <translation>Réinitialiser le mot de passe</translation>
    </message>
    <message>
        <source>Reset the password of %1 (%2)?</source>
        <translation>Réinitialiser le mot de passe de %1 (%2)&#xa0;?</translation>
    </message>
    <message>
        <source>A setup email with a one-time code is queued for %1. Their current password stops working at once; they choose a new one with the code. The reset applies to the login, in every context it has access to.</source>
        <translation>Un e-mail de configuration avec un code à usage unique est mis en file d’attente pour %1. Son mot de passe actuel cesse immédiatement de fonctionner&#xa0;; cette personne en choisira un nouveau avec le code. La réinitialisation s’applique à l’identifiant, dans tous les contextes auxquels il a accès.</translation>
    </message>
    <message>
        <source>&amp;Reset Password</source>
        <translation>&amp;Réinitialiser le mot de passe</translation>
    </message>
    <message>
        <source>A setup email for %1 is queued. Their old password no longer works.</source>
        <translation>Un e-mail de configuration pour %1 est mis en file d’attente. Son ancien mot de passe ne fonctionne plus.</translation>
    </message>
    <message>
        <source>No users match “%1”.</source>
        <translation>Aucun utilisateur ne correspond à «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>No users yet — add one with New User…</source>
        <translation>Aucun utilisateur pour l’instant — ajoutez-en un avec Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>No users yet.</source>
        <translation>Aucun utilisateur pour l’instant.</translation>
    </message>
</context>
</TS>
