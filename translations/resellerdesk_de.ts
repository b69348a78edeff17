<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AccessControl</name>
    <message>
        <source>This Login As session is not recorded, so it cannot be used.</source>
        <translation>Diese Anmelden-als-Sitzung ist nicht protokolliert und kann daher nicht verwendet werden.</translation>
    </message>
    <message>
        <source>This Login As session has ended. Nothing more can be viewed or changed in it.</source>
        <translation>Diese Anmelden-als-Sitzung ist beendet. In ihr kann nichts mehr angesehen oder geändert werden.</translation>
    </message>
    <message>
        <source>This Login As session expired at %1. Nothing more can be viewed or changed in it; start a new Login As if you still need the client&apos;s view.</source>
        <translation>Diese Anmelden-als-Sitzung ist um %1 abgelaufen. In ihr kann nichts mehr angesehen oder geändert werden; starten Sie ein neues „Anmelden als“, wenn Sie die Kundenansicht noch brauchen.</translation>
    </message>
    <message>
        <source>Your role does not allow this action.</source>
        <translation>Ihre Rolle erlaubt diese Aktion nicht.</translation>
    </message>
    <message>
        <source>The customer does not exist or is not in your scope.</source>
        <translation>Der Kunde existiert nicht oder liegt nicht in Ihrem Bereich.</translation>
    </message>
    <message>
        <source>The reseller does not exist or is not in your scope.</source>
        <translation>Der Reseller existiert nicht oder liegt nicht in Ihrem Bereich.</translation>
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
        <translation>Es wurde keine Datenbank ausgewählt.</translation>
    </message>
    <message>
        <source>The demo login has no access.</source>
        <translation>Der Demo-Zugang hat keinen Zugriff.</translation>
    </message>
    <message>
        <source>Demo logins: %1, support@demo.resellerdesk.test, admin@northwind.test, manager@northwind.test — password “%2”. See docs/demo.md for all of them.</source>
        <translation>Demo-Zugänge: %1, support@demo.resellerdesk.test, admin@northwind.test, manager@northwind.test – Passwort „%2“. Alle Zugänge finden Sie in docs/demo.md.</translation>
    </message>
    <message>
        <source>Your password is set. Sign in with it now.</source>
        <translation>Ihr Passwort ist gesetzt. Melden Sie sich jetzt damit an.</translation>
    </message>
    <message>
        <source>Switch Membership</source>
        <translation>Mitgliedschaft wechseln</translation>
    </message>
    <message>
        <source>Work as:</source>
        <translation>Arbeiten als:</translation>
    </message>
    <message>
        <source>ResellerDesk is already open on %1; its window has been brought to the front.</source>
        <translation>ResellerDesk ist bereits mit %1 geöffnet; das Fenster wurde in den Vordergrund geholt.</translation>
    </message>
</context>
<context>
    <name>AuditRepository</name>
    <message>
        <source>writing the audit trail</source>
        <translation>Schreiben des Prüfprotokolls</translation>
    </message>
    <message>
        <source>reading the audit trail</source>
        <translation>Lesen des Prüfprotokolls</translation>
    </message>
    <message>
        <source>reading the audit log</source>
        <translation>Lesen des Prüfprotokolls</translation>
    </message>
    <message>
        <source>The audit event does not exist or is not in your scope.</source>
        <translation>Der Protokolleintrag existiert nicht oder liegt nicht in Ihrem Bereich.</translation>
    </message>
    <message>
        <source>reading the Login As sessions</source>
        <translation>Lesen der Anmelden-als-Sitzungen</translation>
    </message>
    <message>
        <source>counting the audit log</source>
        <translation>Zählen des Prüfprotokolls</translation>
    </message>
    <message>
        <source>counting the Login As sessions</source>
        <translation>Zählen der Anmelden-als-Sitzungen</translation>
    </message>
</context>
<context>
    <name>AuditService</name>
    <message>
        <source>The export file could not be written: %1</source>
        <translation>Die Exportdatei konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Login As by</source>
        <translation>„Anmelden als“ von</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Entity type</source>
        <translation>Objekttyp</translation>
    </message>
    <message>
        <source>Entity ID</source>
        <translation>Objekt-ID</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Batch ID</source>
        <translation>Stapel-ID</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>CatalogueRepository</name>
    <message>
        <source>saving the plan</source>
        <translation>Speichern des Tarifs</translation>
    </message>
    <message>
        <source>A plan with the code %1 exists.</source>
        <translation>Es gibt bereits einen Tarif mit dem Code %1.</translation>
    </message>
    <message>
        <source>reading plans</source>
        <translation>Lesen der Tarife</translation>
    </message>
    <message>
        <source>reading a plan</source>
        <translation>Lesen eines Tarifs</translation>
    </message>
    <message>
        <source>The plan no longer exists.</source>
        <translation>Der Tarif existiert nicht mehr.</translation>
    </message>
    <message>
        <source>reading the reseller&apos;s plans</source>
        <translation>Lesen der Tarife des Resellers</translation>
    </message>
    <message>
        <source>reading a price list</source>
        <translation>Lesen einer Preisliste</translation>
    </message>
    <message>
        <source>The price list no longer exists.</source>
        <translation>Die Preisliste existiert nicht mehr.</translation>
    </message>
    <message>
        <source>reading price lists</source>
        <translation>Lesen der Preislisten</translation>
    </message>
    <message>
        <source>saving the price list</source>
        <translation>Speichern der Preisliste</translation>
    </message>
    <message>
        <source>There is already a default price list.</source>
        <translation>Es gibt bereits eine Standardpreisliste.</translation>
    </message>
    <message>
        <source>A price list named %1 exists.</source>
        <translation>Es gibt bereits eine Preisliste namens %1.</translation>
    </message>
    <message>
        <source>reading the default price list</source>
        <translation>Lesen der Standardpreisliste</translation>
    </message>
    <message>
        <source>saving the price</source>
        <translation>Speichern des Preises</translation>
    </message>
    <message>
        <source>reading a price</source>
        <translation>Lesen eines Preises</translation>
    </message>
    <message>
        <source>reading prices</source>
        <translation>Lesen der Preise</translation>
    </message>
</context>
<context>
    <name>CatalogueService</name>
    <message>
        <source>There is no default price list yet. An administrator needs to mark one as the default.</source>
        <translation>Es gibt noch keine Standardpreisliste. Ein Administrator muss eine Preisliste als Standard festlegen.</translation>
    </message>
</context>
<context>
    <name>ClientAccountService</name>
    <message>
        <source>The file cannot be read.</source>
        <translation>Die Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The file is not valid CSV: a quoted field is not closed properly (line %1). Nothing was imported.</source>
        <translation>Die Datei ist keine gültige CSV-Datei: Ein Feld in Anführungszeichen ist nicht richtig abgeschlossen (Zeile %1). Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text. Save it as UTF-8 CSV and import it again. Nothing was imported.</source>
        <translation>Die Datei ist kein UTF-8-Text. Speichern Sie sie als UTF-8-CSV und importieren Sie sie erneut. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>The account is deactivated, so its settings cannot be changed. Ask your reseller to activate it again.</source>
        <translation>Das Konto ist deaktiviert, daher können seine Einstellungen nicht geändert werden. Bitten Sie Ihren Reseller, es wieder zu aktivieren.</translation>
    </message>
    <message>
        <source>Only the account&apos;s Client Admin can change these settings.</source>
        <translation>Nur der Kunden-Admin des Kontos kann diese Einstellungen ändern.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 wurde von jemand anderem geändert. Laden Sie die Daten neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Geben Sie den Namen des Ansprechpartners ein.</translation>
    </message>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>Der Name des Ansprechpartners darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Name des Ansprechpartners darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>The file is empty. It needs a header row with the columns customer_id (or domain), month and used. Nothing was imported.</source>
        <translation>Die Datei ist leer. Sie braucht eine Kopfzeile mit den Spalten customer_id (oder domain), month und used. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>The first row must be a header naming the columns customer_id (or domain), month and used; missing: %1. Nothing was imported.</source>
        <translation>Die erste Zeile muss eine Kopfzeile mit den Spalten customer_id (oder domain), month und used sein; es fehlt: %1. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>The row has %1 columns; the header has %2.</source>
        <translation>Die Zeile hat %1 Spalten, die Kopfzeile hat %2.</translation>
    </message>
    <message>
        <source>There is no customer with the id “%1”.</source>
        <translation>Es gibt keinen Kunden mit der ID „%1“.</translation>
    </message>
    <message>
        <source>There is no customer with the domain “%1”.</source>
        <translation>Es gibt keinen Kunden mit der Domain „%1“.</translation>
    </message>
    <message>
        <source>%1 customers use the domain “%2”; use the customer_id column to say which one.</source>
        <translation>%1 Kunden verwenden die Domain „%2“; geben Sie in der Spalte customer_id an, welcher gemeint ist.</translation>
    </message>
    <message>
        <source>The month “%1” is not a month in the form YYYY-MM (e.g. 2026-12).</source>
        <translation>Der Monat „%1“ hat nicht die Form JJJJ-MM (z. B. 2026-12).</translation>
    </message>
    <message>
        <source>“%1” is not a number of identifications (a whole number, 0 or more).</source>
        <translation>„%1“ ist keine Anzahl von Identifikationen (eine ganze Zahl, 0 oder größer).</translation>
    </message>
    <message>
        <source>%1 in %2 is already on line %3.</source>
        <translation>%1 in %2 steht bereits in Zeile %3.</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Open this database: an SQLite file path, or a postgresql://user@host:port/database address (a password in the address is used for this session only, never saved).</source>
        <translation>Diese Datenbank öffnen: ein SQLite-Dateipfad oder eine Adresse postgresql://user@host:port/database (ein Passwort in der Adresse gilt nur für diese Sitzung und wird nie gespeichert).</translation>
    </message>
    <message>
        <source>file-or-url</source>
        <translation>datei-oder-url</translation>
    </message>
    <message>
        <source>Open the demo database, creating it on first use.</source>
        <translation>Die Demo-Datenbank öffnen; sie wird bei der ersten Verwendung angelegt.</translation>
    </message>
    <message>
        <source>Save a PNG picture of the first window shown and quit.</source>
        <translation>Ein PNG-Bild des ersten angezeigten Fensters speichern und beenden.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>datei</translation>
    </message>
    <message>
        <source>With --demo: sign in as this demo login (see docs/demo.md) without the sign-in dialog.</source>
        <translation>Mit --demo: als dieser Demo-Zugang anmelden (siehe docs/demo.md), ohne den Anmeldedialog.</translation>
    </message>
    <message>
        <source>email</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>With dispatch: deliver the email that is due, print a summary and exit instead of running on.</source>
        <translation>Mit dispatch: die fälligen E-Mails zustellen, eine Zusammenfassung ausgeben und beenden, statt weiterzulaufen.</translation>
    </message>
    <message>
        <source>With dispatch: read the SMTP password from the first line of this file (readable by its owner only) instead of the system keychain.</source>
        <translation>Mit dispatch: das SMTP-Passwort aus der ersten Zeile dieser Datei lesen (nur für ihren Eigentümer lesbar) statt aus dem System-Schlüsselbund.</translation>
    </message>
    <message>
        <source>With dispatch: look for due email every this many seconds (default 30).</source>
        <translation>Mit dispatch: alle so viele Sekunden nach fälligen E-Mails suchen (Standard: 30).</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>sekunden</translation>
    </message>
    <message>
        <source>With export or import: sign in as this user (default: the RESELLERDESK_USER environment variable).</source>
        <translation>Mit export oder import: als dieser Benutzer anmelden (Standard: die Umgebungsvariable RESELLERDESK_USER).</translation>
    </message>
    <message>
        <source>With export or import: read the user&apos;s password from the first line of this file (readable by its owner only) when RESELLERDESK_PASSWORD is not set.</source>
        <translation>Mit export oder import: das Passwort des Benutzers aus der ersten Zeile dieser Datei lesen (nur für ihren Eigentümer lesbar), wenn RESELLERDESK_PASSWORD nicht gesetzt ist.</translation>
    </message>
    <message>
        <source>With export or import: work as this membership (its number or the name of its reseller portal or client account) when the user has several.</source>
        <translation>Mit export oder import: in dieser Mitgliedschaft arbeiten (ihre Nummer oder der Name ihres Reseller-Portals oder Kundenkontos), wenn der Benutzer mehrere hat.</translation>
    </message>
    <message>
        <source>id-or-name</source>
        <translation>id-oder-name</translation>
    </message>
    <message>
        <source>With export: csv or xlsx (default: from the --output file&apos;s extension, else csv).</source>
        <translation>Mit export: csv oder xlsx (Standard: nach der Dateiendung von --output, sonst csv).</translation>
    </message>
    <message>
        <source>csv|xlsx</source>
        <translation>csv|xlsx</translation>
    </message>
    <message>
        <source>With export: the file to write (default: customers-DATE.csv or .xlsx in the current directory). It is replaced only when the export succeeds.</source>
        <translation>Mit export: die zu schreibende Datei (Standard: customers-DATUM.csv oder .xlsx im aktuellen Verzeichnis). Sie wird nur ersetzt, wenn der Export gelingt.</translation>
    </message>
    <message>
        <source>With export: only customers whose company, domain, contact or email contains this text.</source>
        <translation>Mit export: nur Kunden, deren Firma, Domain, Ansprechpartner oder E-Mail diesen Text enthält.</translation>
    </message>
    <message>
        <source>term</source>
        <translation>begriff</translation>
    </message>
    <message>
        <source>With export: the order, by company (default), domain, contact, email, reseller, plan, status or created.</source>
        <translation>Mit export: die Sortierung nach company (Standard), domain, contact, email, reseller, plan, status oder created.</translation>
    </message>
    <message>
        <source>column</source>
        <translation>spalte</translation>
    </message>
    <message>
        <source>With export: sort in descending order.</source>
        <translation>Mit export: absteigend sortieren.</translation>
    </message>
    <message>
        <source>With import: the reseller portal the imported customers belong to.</source>
        <translation>Mit import: das Reseller-Portal, zu dem die importierten Kunden gehören.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>name</translation>
    </message>
    <message>
        <source>With import: the customers become direct accounts of the vendor (administrators; instead of --reseller).</source>
        <translation>Mit import: die Kunden werden Direktkunden des Anbieters (nur Administratoren; statt --reseller).</translation>
    </message>
    <message>
        <source>With import: the plan of rows whose plan cell is empty (name or code).</source>
        <translation>Mit import: der Tarif für Zeilen mit leerer Tarif-Zelle (Name oder Code).</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>tarif</translation>
    </message>
    <message>
        <source>With import: rows whose trial/paid cell is empty are paid (default: trial).</source>
        <translation>Mit import: Zeilen mit leerer Test/Bezahlt-Zelle sind bezahlt (Standard: Testphase).</translation>
    </message>
    <message>
        <source>With import: check every row and report, but change nothing.</source>
        <translation>Mit import: jede Zeile prüfen und melden, aber nichts ändern.</translation>
    </message>
    <message>
        <source>With import: queue a setup email for each imported customer.</source>
        <translation>Mit import: für jeden importierten Kunden eine Einrichtungs-E-Mail in den Postausgang stellen.</translation>
    </message>
    <message>
        <source>ResellerDesk manages resellers and their customers: onboarding, trials, transfers between resellers and audited Login As.

“resellerdesk dispatch --database FILE-OR-URL” delivers the queued email without a window (for a server without a display): it uses the SMTP settings of the database and runs until stopped (SIGTERM or Ctrl+C), or with --once until nothing is due.

“resellerdesk export customers --database FILE-OR-URL --format csv|xlsx” writes the customers the signed-in user may see to a file; “resellerdesk import FILE --database FILE-OR-URL” adds the customers of a CSV file. Both sign in without a window: the user from --user or RESELLERDESK_USER, the password from RESELLERDESK_PASSWORD, --password-file, the system keychain or a prompt on the terminal. Exit status 2 means a usage or sign-in mistake, 1 a failure.</source>
        <translation>ResellerDesk verwaltet Reseller und ihre Kunden: Onboarding, Testphasen, Übertragungen zwischen Resellern und protokolliertes „Anmelden als“.

„resellerdesk dispatch --database DATEI-ODER-URL“ stellt die E-Mails im Postausgang ohne Fenster zu (für einen Server ohne Bildschirm): Es verwendet die SMTP-Einstellungen der Datenbank und läuft, bis es gestoppt wird (SIGTERM oder Strg+C), oder mit --once, bis nichts mehr fällig ist.

„resellerdesk export customers --database DATEI-ODER-URL --format csv|xlsx“ schreibt die Kunden, die der angemeldete Benutzer sehen darf, in eine Datei; „resellerdesk import DATEI --database DATEI-ODER-URL“ fügt die Kunden einer CSV-Datei hinzu. Beide melden sich ohne Fenster an: der Benutzer aus --user oder RESELLERDESK_USER, das Passwort aus RESELLERDESK_PASSWORD, --password-file, dem System-Schlüsselbund oder einer Abfrage im Terminal. Exit-Status 2 bedeutet einen Bedienungs- oder Anmeldefehler, 1 einen Fehlschlag.</translation>
    </message>
    <message>
        <source>dispatch: deliver the queued email headless; export customers: write the customers to a file; import FILE: add customers from a CSV file. Without a command the windows open.</source>
        <translation>dispatch: die E-Mails im Postausgang ohne Oberfläche zustellen; export customers: die Kunden in eine Datei schreiben; import DATEI: Kunden aus einer CSV-Datei hinzufügen. Ohne Befehl öffnen sich die Fenster.</translation>
    </message>
    <message>
        <source>export needs what to export: “export customers”. See --help.</source>
        <translation>export braucht die Angabe, was exportiert werden soll: „export customers“. Siehe --help.</translation>
    </message>
    <message>
        <source>import needs the CSV file: “import FILE”. See --help.</source>
        <translation>import braucht die CSV-Datei: „import DATEI“. Siehe --help.</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”. See --help.</source>
        <translation>Unerwartetes Argument „%1“. Siehe --help.</translation>
    </message>
    <message>
        <source>Use either --database or --demo, not both.</source>
        <translation>Verwenden Sie entweder --database oder --demo, nicht beides.</translation>
    </message>
    <message>
        <source>--demo-user works only with --demo.</source>
        <translation>--demo-user funktioniert nur mit --demo.</translation>
    </message>
    <message>
        <source>dispatch opens no window: it takes neither --demo nor --screenshot.</source>
        <translation>dispatch öffnet kein Fenster: Es akzeptiert weder --demo noch --screenshot.</translation>
    </message>
    <message>
        <source>dispatch needs the database: add --database FILE-OR-URL.</source>
        <translation>dispatch braucht die Datenbank: Geben Sie --database DATEI-ODER-URL an.</translation>
    </message>
    <message>
        <source>--interval takes a number of seconds from 1 to 86400.</source>
        <translation>--interval erwartet eine Anzahl Sekunden von 1 bis 86400.</translation>
    </message>
    <message>
        <source>--once, --smtp-password-file and --interval work only with dispatch.</source>
        <translation>--once, --smtp-password-file und --interval funktionieren nur mit dispatch.</translation>
    </message>
    <message>
        <source>%1 opens no window: it takes neither --demo, --demo-user nor --screenshot.</source>
        <translation>%1 öffnet kein Fenster: Es akzeptiert weder --demo noch --demo-user noch --screenshot.</translation>
    </message>
    <message>
        <source>%1 needs the database: add --database FILE-OR-URL.</source>
        <translation>%1 braucht die Datenbank: Geben Sie --database DATEI-ODER-URL an.</translation>
    </message>
    <message>
        <source>--user, --password-file and --membership work only with export and import.</source>
        <translation>--user, --password-file und --membership funktionieren nur mit export und import.</translation>
    </message>
    <message>
        <source>--format takes csv or xlsx, not “%1”.</source>
        <translation>--format erwartet csv oder xlsx, nicht „%1“.</translation>
    </message>
    <message>
        <source>--output needs a file name.</source>
        <translation>--output braucht einen Dateinamen.</translation>
    </message>
    <message>
        <source>--sort takes one of %1, not “%2”.</source>
        <translation>--sort erwartet einen der Werte %1, nicht „%2“.</translation>
    </message>
    <message>
        <source>--format, --output, --search, --sort and --descending work only with export.</source>
        <translation>--format, --output, --search, --sort und --descending funktionieren nur mit export.</translation>
    </message>
    <message>
        <source>--dry-run changes nothing and sends nothing: leave out --send-setup-emails.</source>
        <translation>--dry-run ändert nichts und sendet nichts: Lassen Sie --send-setup-emails weg.</translation>
    </message>
    <message>
        <source>--reseller, --direct, --plan, --paid, --dry-run and --send-setup-emails work only with import.</source>
        <translation>--reseller, --direct, --plan, --paid, --dry-run und --send-setup-emails funktionieren nur mit import.</translation>
    </message>
    <message>
        <source>Use this language instead of the system&apos;s: %1.</source>
        <translation>Diese Sprache statt der des Systems verwenden: %1.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>--lang takes one of %1, not “%2”.</source>
        <translation>--lang erwartet eines von %1, nicht „%2“.</translation>
    </message>
</context>
<context>
    <name>ConnectionProfile</name>
    <message>
        <source>No database was given.</source>
        <translation>Es wurde keine Datenbank angegeben.</translation>
    </message>
    <message>
        <source>“%1” is neither a postgresql:// address nor an SQLite file path.</source>
        <translation>„%1“ ist weder eine postgresql://-Adresse noch ein SQLite-Dateipfad.</translation>
    </message>
    <message>
        <source>The SQLite file path is empty.</source>
        <translation>Der SQLite-Dateipfad ist leer.</translation>
    </message>
    <message>
        <source>The PostgreSQL address is not valid. Use postgresql://user:password@host:port/database.</source>
        <translation>Die PostgreSQL-Adresse ist ungültig. Verwenden Sie postgresql://user:password@host:port/database.</translation>
    </message>
    <message>
        <source>The PostgreSQL address names no database. Add it after the host, as in postgresql://user@host/resellerdesk.</source>
        <translation>Die PostgreSQL-Adresse nennt keine Datenbank. Fügen Sie sie nach dem Host an, wie in postgresql://user@host/resellerdesk.</translation>
    </message>
    <message>
        <source>The PostgreSQL port must be 1 to 65535.</source>
        <translation>Der PostgreSQL-Port muss zwischen 1 und 65535 liegen.</translation>
    </message>
</context>
<context>
    <name>CredentialStore</name>
    <message>
        <source>No password is stored for this connection.</source>
        <translation>Für diese Verbindung ist kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>This connection has no password to keep in the system keychain.</source>
        <translation>Diese Verbindung hat kein Passwort, das im System-Schlüsselbund gespeichert werden könnte.</translation>
    </message>
    <message>
        <source>unknown error (code %1)</source>
        <translation>unbekannter Fehler (Code %1)</translation>
    </message>
    <message>
        <source>The system keychain cannot be used: %1</source>
        <translation>Der System-Schlüsselbund kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>The system keychain did not answer before the program stopped waiting.</source>
        <translation>Der System-Schlüsselbund hat nicht geantwortet, bevor das Programm das Warten aufgegeben hat.</translation>
    </message>
</context>
<context>
    <name>Currency</name>
    <message>
        <source>Choose a currency, like EUR.</source>
        <translation>Wählen Sie eine Währung, z. B. EUR.</translation>
    </message>
    <message>
        <source>“%1” is not a currency code: use three letters, like EUR.</source>
        <translation>„%1“ ist kein Währungscode: Verwenden Sie drei Buchstaben, z. B. EUR.</translation>
    </message>
    <message>
        <source>The currency “%1” is not supported.</source>
        <translation>Die Währung „%1“ wird nicht unterstützt.</translation>
    </message>
</context>
<context>
    <name>CustomerExportService</name>
    <message>
        <source>The file %1 could not be created: %2</source>
        <translation>Die Datei %1 konnte nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>The file %1 could not be saved: %2</source>
        <translation>Die Datei %1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Writing the file %1 failed: %2</source>
        <translation>Fehler beim Schreiben der Datei %1: %2</translation>
    </message>
    <message>
        <source>the workbook could not be started</source>
        <translation>die Arbeitsmappe konnte nicht angelegt werden</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>the worksheet could not be started</source>
        <translation>das Arbeitsblatt konnte nicht angelegt werden</translation>
    </message>
    <message>
        <source>The Excel file %1 could not be written: %2</source>
        <translation>Die Excel-Datei %1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>An Excel worksheet holds at most %1 customers. Narrow the view with the search or the filters, or export CSV.</source>
        <translation>Ein Excel-Arbeitsblatt fasst höchstens %1 Kunden. Schränken Sie die Ansicht mit der Suche oder den Filtern ein oder exportieren Sie als CSV.</translation>
    </message>
    <message>
        <source>Choose the file to export the customers to.</source>
        <translation>Wählen Sie die Datei, in die die Kunden exportiert werden sollen.</translation>
    </message>
    <message>
        <source>The view has %1 customers, and an Excel worksheet holds at most %2. Narrow the view with the search or the filters, or export CSV.</source>
        <translation>Die Ansicht enthält %1 Kunden, ein Excel-Arbeitsblatt fasst jedoch höchstens %2. Schränken Sie die Ansicht mit der Suche oder den Filtern ein oder exportieren Sie als CSV.</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Also assigned to</source>
        <translation>Auch zugeordnet zu</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Preisliste</translation>
    </message>
    <message>
        <source>Identifications / month</source>
        <translation>Identifikationen/Monat</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Direct account</source>
        <translation>Direktkunde</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Testphase abgelaufen</translation>
    </message>
    <message>
        <source>Trial, 1 day left</source>
        <translation>Testphase, noch 1 Tag</translation>
    </message>
    <message>
        <source>Trial, %1 days left</source>
        <translation>Testphase, noch %1 Tage</translation>
    </message>
</context>
<context>
    <name>CustomerImportRepository</name>
    <message>
        <source>checking the email addresses</source>
        <translation>Prüfen der E-Mail-Adressen</translation>
    </message>
    <message>
        <source>saving the users</source>
        <translation>Speichern der Benutzer</translation>
    </message>
    <message>
        <source>saving the customers</source>
        <translation>Speichern der Kunden</translation>
    </message>
    <message>
        <source>saving the memberships</source>
        <translation>Speichern der Mitgliedschaften</translation>
    </message>
    <message>
        <source>saving the assignments</source>
        <translation>Speichern der Zuordnungen</translation>
    </message>
    <message>
        <source>queueing the emails</source>
        <translation>Einstellen der E-Mails in den Postausgang</translation>
    </message>
    <message>
        <source>writing the audit trail</source>
        <translation>Schreiben des Prüfprotokolls</translation>
    </message>
</context>
<context>
    <name>CustomerImportService</name>
    <message>
        <source>The file cannot be read.</source>
        <translation>Die Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The file cannot be read to its end: %1</source>
        <translation>Die Datei kann nicht bis zum Ende gelesen werden: %1</translation>
    </message>
    <message>
        <source>The file is not valid CSV: the record starting on line %1 has a double quote that does not open or close a quoted field properly. Correct the quoting (a quote inside a quoted field is written twice) and import it again. Nothing was imported.</source>
        <translation>Die Datei ist keine gültige CSV-Datei: Der Datensatz ab Zeile %1 enthält ein doppeltes Anführungszeichen, das ein Feld in Anführungszeichen nicht richtig öffnet oder schließt. Korrigieren Sie die Anführungszeichen (ein Anführungszeichen innerhalb eines Felds in Anführungszeichen wird verdoppelt) und importieren Sie die Datei erneut. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>The file is empty. It needs a header row naming its columns (e.g. Company, Contact name, Email, Plan) and a row per customer.</source>
        <translation>Die Datei ist leer. Sie braucht eine Kopfzeile mit den Spaltennamen (z. B. Firma, Name des Ansprechpartners, E-Mail, Tarif) und eine Zeile pro Kunde.</translation>
    </message>
    <message>
        <source>The file has a header row but no customers below it.</source>
        <translation>Die Datei hat eine Kopfzeile, aber darunter keine Kunden.</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Website</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Name des Ansprechpartners</translation>
    </message>
    <message>
        <source>Contact email</source>
        <translation>E-Mail des Ansprechpartners</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Trial or paid</source>
        <translation>Test oder bezahlt</translation>
    </message>
    <message>
        <source>No email</source>
        <translation>Keine E-Mails</translation>
    </message>
    <message>
        <source>The column mapping names column %1, but the file has only %2 columns.</source>
        <translation>Die Spaltenzuordnung nennt Spalte %1, die Datei hat aber nur %2 Spalten.</translation>
    </message>
    <message>
        <source>Choose the column that holds the field “%1”.</source>
        <translation>Wählen Sie die Spalte, die das Feld „%1“ enthält.</translation>
    </message>
    <message>
        <source>Line %1 is not UTF-8 text (column %2). Save the file as UTF-8 CSV and import it again.</source>
        <translation>Zeile %1 ist kein UTF-8-Text (Spalte %2). Speichern Sie die Datei als UTF-8-CSV und importieren Sie sie erneut.</translation>
    </message>
    <message>
        <source>The row has %1 columns; the header has %2.</source>
        <translation>Die Zeile hat %1 Spalten, die Kopfzeile hat %2.</translation>
    </message>
    <message>
        <source>Enter the plan, or choose a plan for rows without one.</source>
        <translation>Geben Sie den Tarif an oder wählen Sie einen Tarif für Zeilen ohne Tarif.</translation>
    </message>
    <message>
        <source>There is no plan named “%1”.</source>
        <translation>Es gibt keinen Tarif namens „%1“.</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>test</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>bezahlt</translation>
    </message>
    <message>
        <source>“%1” is neither trial nor paid.</source>
        <translation>„%1“ ist weder „test“ noch „bezahlt“ (auch möglich: trial, paid).</translation>
    </message>
    <message>
        <source>“%1” is not yes or no.</source>
        <translation>„%1“ ist kein Ja/Nein-Wert (möglich: yes/no, y/n, true/false, 1/0 oder x).</translation>
    </message>
    <message>
        <source>The email address %1 is already on line %2 of this file. Every login needs its own address.</source>
        <translation>Die E-Mail-Adresse %1 steht bereits in Zeile %2 dieser Datei. Jeder Zugang braucht eine eigene Adresse.</translation>
    </message>
    <message>
        <source>The email address %1 is already used by another ResellerDesk login. Every login needs its own address.</source>
        <translation>Die E-Mail-Adresse %1 wird bereits von einem anderen ResellerDesk-Zugang verwendet. Jeder Zugang braucht eine eigene Adresse.</translation>
    </message>
    <message>
        <source>The preview was made for another reseller portal. Check the file again.</source>
        <translation>Die Vorschau wurde für ein anderes Reseller-Portal erstellt. Prüfen Sie die Datei erneut.</translation>
    </message>
    <message numerus="yes">
        <source>Lines %1 to %2 could not be saved: %3 The batch with these lines was undone; %n row(s) before it were imported.</source>
        <translation>
            <numerusform>Die Zeilen %1 bis %2 konnten nicht gespeichert werden: %3 Der Stapel mit diesen Zeilen wurde rückgängig gemacht; %n Zeile davor wurde importiert.</numerusform>
            <numerusform>Die Zeilen %1 bis %2 konnten nicht gespeichert werden: %3 Der Stapel mit diesen Zeilen wurde rückgängig gemacht; %n Zeilen davor wurden importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>CustomerRepository</name>
    <message>
        <source>reading customers</source>
        <translation>Lesen der Kunden</translation>
    </message>
    <message>
        <source>saving the customer</source>
        <translation>Speichern des Kunden</translation>
    </message>
    <message>
        <source>reading a customer</source>
        <translation>Lesen eines Kunden</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Der Kunde existiert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 wurde von jemand anderem geändert. Laden Sie die Daten neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>archiving the customer</source>
        <translation>Archivieren des Kunden</translation>
    </message>
    <message>
        <source>The customer was changed by someone else. Reload it and try again.</source>
        <translation>Der Kunde wurde von jemand anderem geändert. Laden Sie ihn neu und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>checking the domain</source>
        <translation>Prüfen der Domain</translation>
    </message>
    <message>
        <source>reading the customers in scope</source>
        <translation>Lesen der Kunden im Bereich</translation>
    </message>
    <message>
        <source>counting customers</source>
        <translation>Zählen der Kunden</translation>
    </message>
    <message>
        <source>finding a customer in the list</source>
        <translation>Suchen eines Kunden in der Liste</translation>
    </message>
    <message>
        <source>reading the customer list&apos;s jump points</source>
        <translation>Lesen der Sprungmarken der Kundenliste</translation>
    </message>
    <message>
        <source>saving the assignment</source>
        <translation>Speichern der Zuordnung</translation>
    </message>
    <message>
        <source>The customer is already assigned to this reseller, or already has an owner.</source>
        <translation>Der Kunde ist diesem Reseller bereits zugeordnet oder hat bereits einen Eigentümer.</translation>
    </message>
    <message>
        <source>reading assignments</source>
        <translation>Lesen der Zuordnungen</translation>
    </message>
    <message>
        <source>reading the assignment history</source>
        <translation>Lesen des Zuordnungsverlaufs</translation>
    </message>
</context>
<context>
    <name>CustomerSearch</name>
    <message>
        <source>searching customers</source>
        <translation>Suchen von Kunden</translation>
    </message>
    <message>
        <source>counting customers</source>
        <translation>Zählen der Kunden</translation>
    </message>
</context>
<context>
    <name>CustomerService</name>
    <message>
        <source>The email address %1 is already used by another ResellerDesk login. Every login needs its own address; you could use %2.</source>
        <translation>Die E-Mail-Adresse %1 wird bereits von einem anderen ResellerDesk-Zugang verwendet. Jeder Zugang braucht eine eigene Adresse; Sie könnten %2 verwenden.</translation>
    </message>
    <message>
        <source>The email address %1 is already the login of %2. Every login needs its own address; you could use %3.</source>
        <translation>Die E-Mail-Adresse %1 ist bereits der Zugang von %2. Jeder Zugang braucht eine eigene Adresse; Sie könnten %3 verwenden.</translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Geben Sie den Firmennamen ein.</translation>
    </message>
    <message numerus="yes">
        <source>The company name may be at most %n characters.</source>
        <translation>
            <numerusform>Der Firmenname darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Firmenname darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Geben Sie den Namen des Ansprechpartners ein.</translation>
    </message>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>Der Name des Ansprechpartners darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Name des Ansprechpartners darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>You can add customers only to your own reseller portal.</source>
        <translation>Sie können Kunden nur zu Ihrem eigenen Reseller-Portal hinzufügen.</translation>
    </message>
    <message>
        <source>Choose a plan.</source>
        <translation>Wählen Sie einen Tarif.</translation>
    </message>
    <message>
        <source>Only administrators can choose a customer&apos;s price list.</source>
        <translation>Nur Administratoren können die Preisliste eines Kunden wählen.</translation>
    </message>
    <message>
        <source>The reseller no longer exists.</source>
        <translation>Der Reseller existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The reseller %1 is deactivated; it cannot take new customers.</source>
        <translation>Der Reseller %1 ist deaktiviert und kann keine neuen Kunden aufnehmen.</translation>
    </message>
    <message>
        <source>The plan %1 is not offered by %2. Choose one of its plans.</source>
        <translation>Der Tarif %1 wird von %2 nicht angeboten. Wählen Sie einen der dort angebotenen Tarife.</translation>
    </message>
    <message>
        <source>There is no default price list yet. An administrator needs to mark one as the default.</source>
        <translation>Es gibt noch keine Standardpreisliste. Ein Administrator muss eine Preisliste als Standard festlegen.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2.</source>
        <translation>Die Preisliste %1 enthält keinen Preis für den Tarif %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n other customer(s) already use the domain %1.</source>
        <translation>
            <numerusform>%n anderer Kunde verwendet bereits die Domain %1.</numerusform>
            <numerusform>%n andere Kunden verwenden bereits die Domain %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 wurde von jemand anderem geändert. Laden Sie die Daten neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Geben Sie einen Grund an; er wird im Prüfprotokoll festgehalten.</translation>
    </message>
    <message numerus="yes">
        <source>The reason may be at most %n characters.</source>
        <translation>
            <numerusform>Der Grund darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Grund darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>The trial settings in the database are not valid: %1 An administrator needs to correct them in the settings.</source>
        <translation>Die Einstellungen für Testphasen in der Datenbank sind ungültig: %1 Ein Administrator muss sie in den Einstellungen korrigieren.</translation>
    </message>
    <message>
        <source>The plan %1 is not offered by the customer&apos;s reseller.</source>
        <translation>Der Tarif %1 wird vom Reseller des Kunden nicht angeboten.</translation>
    </message>
    <message>
        <source>The customer&apos;s price list has no price for the plan %1.</source>
        <translation>Die Preisliste des Kunden enthält keinen Preis für den Tarif %1.</translation>
    </message>
    <message>
        <source>Deactivate %1 before archiving it.</source>
        <translation>Deaktivieren Sie %1, bevor Sie den Kunden archivieren.</translation>
    </message>
    <message>
        <source>%1 has already chosen a password, so a setup email is not needed. They can reset their password instead.</source>
        <translation>%1 hat bereits ein Passwort gewählt, eine Einrichtungs-E-Mail ist daher nicht nötig. Stattdessen kann das Passwort zurückgesetzt werden.</translation>
    </message>
    <message>
        <source>%1 is already a paid account.</source>
        <translation>%1 ist bereits ein zahlendes Konto.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 ist nicht in einer Testphase.</translation>
    </message>
    <message>
        <source>Choose a price list.</source>
        <translation>Wählen Sie eine Preisliste.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for %2&apos;s plan %3. Choose another list or change the plan first.</source>
        <translation>Die Preisliste %1 enthält keinen Preis für den Tarif %3 von %2. Wählen Sie eine andere Liste oder ändern Sie zuerst den Tarif.</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>preparing a statement</source>
        <translation>Vorbereiten einer Anweisung</translation>
    </message>
    <message>
        <source>The SQLite driver for Qt is not installed (package libqt6sql6-sqlite).</source>
        <translation>Der SQLite-Treiber für Qt ist nicht installiert (Paket libqt6sql6-sqlite).</translation>
    </message>
    <message>
        <source>No database file was given.</source>
        <translation>Es wurde keine Datenbankdatei angegeben.</translation>
    </message>
    <message>
        <source>“%1” is a folder, not a database file.</source>
        <translation>„%1“ ist ein Ordner, keine Datenbankdatei.</translation>
    </message>
    <message>
        <source>The folder of the database file “%1” does not exist.</source>
        <translation>Der Ordner der Datenbankdatei „%1“ existiert nicht.</translation>
    </message>
    <message>
        <source>“%1” is not a ResellerDesk database: it is not an SQLite file, or its first page is damaged.</source>
        <translation>„%1“ ist keine ResellerDesk-Datenbank: Es ist keine SQLite-Datei, oder ihre erste Seite ist beschädigt.</translation>
    </message>
    <message>
        <source>Could not open the database file “%1”.</source>
        <translation>Die Datenbankdatei „%1“ konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>The PostgreSQL driver for Qt is not installed (package libqt6sql6-psql).</source>
        <translation>Der PostgreSQL-Treiber für Qt ist nicht installiert (Paket libqt6sql6-psql).</translation>
    </message>
    <message>
        <source>The PostgreSQL server at %1 refused the user name or password for “%2”.</source>
        <translation>Der PostgreSQL-Server unter %1 hat den Benutzernamen oder das Passwort für „%2“ abgelehnt.</translation>
    </message>
    <message>
        <source>The PostgreSQL server at %1 has no database “%2” (or no user “%3”).</source>
        <translation>Der PostgreSQL-Server unter %1 hat keine Datenbank „%2“ (oder keinen Benutzer „%3“).</translation>
    </message>
    <message>
        <source>Could not reach the PostgreSQL server at %1. Check the host, the port and that the server is running.</source>
        <translation>Der PostgreSQL-Server unter %1 ist nicht erreichbar. Prüfen Sie Host und Port und ob der Server läuft.</translation>
    </message>
    <message>
        <source>“%1” is damaged or is not a database file.</source>
        <translation>„%1“ ist beschädigt oder keine Datenbankdatei.</translation>
    </message>
    <message>
        <source>reading the database</source>
        <translation>Lesen der Datenbank</translation>
    </message>
    <message>
        <source>switching the database to WAL mode</source>
        <translation>Umstellen der Datenbank auf den WAL-Modus</translation>
    </message>
    <message>
        <source>The database file “%1” cannot use write-ahead logging (it is on a file system without shared memory, or read-only).</source>
        <translation>Die Datenbankdatei „%1“ kann kein Write-Ahead-Logging verwenden (sie liegt auf einem Dateisystem ohne gemeinsamen Speicher oder ist schreibgeschützt).</translation>
    </message>
    <message>
        <source>configuring the database</source>
        <translation>Konfigurieren der Datenbank</translation>
    </message>
    <message>
        <source>configuring the connection</source>
        <translation>Konfigurieren der Verbindung</translation>
    </message>
</context>
<context>
    <name>DemoData</name>
    <message>
        <source>Could not create the demo staff.</source>
        <translation>Die Demo-Mitarbeiter konnten nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Could not create the demo resellers.</source>
        <translation>Die Demo-Reseller konnten nicht angelegt werden.</translation>
    </message>
</context>
<context>
    <name>DispatchCommand</name>
    <message>
        <source>There is no SMTP password file at “%1”.</source>
        <translation>Unter „%1“ gibt es keine SMTP-Passwortdatei.</translation>
    </message>
    <message>
        <source>The SMTP password file “%1” can be read or changed by other users. Allow its owner only (chmod 600) and try again.</source>
        <translation>Die SMTP-Passwortdatei „%1“ kann von anderen Benutzern gelesen oder geändert werden. Erlauben Sie den Zugriff nur ihrem Eigentümer (chmod 600) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The SMTP password file “%1” cannot be read: %2</source>
        <translation>Die SMTP-Passwortdatei „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The first line of the SMTP password file “%1” is empty.</source>
        <translation>Die erste Zeile der SMTP-Passwortdatei „%1“ ist leer.</translation>
    </message>
    <message>
        <source>Email: %1 sent, %2 retried later, %3 failed, %4 unknown, %5 recovered.</source>
        <translation>E-Mails: %1 gesendet, %2 später erneut versucht, %3 fehlgeschlagen, %4 unbekannt, %5 wiederhergestellt.</translation>
    </message>
    <message>
        <source>There is no database at “%1”.</source>
        <translation>Unter „%1“ gibt es keine Datenbank.</translation>
    </message>
    <message>
        <source>The address has no password and the system keychain has none for it: %1</source>
        <translation>Die Adresse enthält kein Passwort, und im System-Schlüsselbund ist keines dafür gespeichert: %1</translation>
    </message>
    <message>
        <source>The keychain&apos;s entry for it is empty.</source>
        <translation>Der Eintrag im Schlüsselbund dafür ist leer.</translation>
    </message>
    <message>
        <source>The SMTP server %1:%2 needs the password of “%3”, and none is available: %4 Store it in the keychain from the desktop (Settings, Email) on this machine, or give --smtp-password-file.</source>
        <translation>Der SMTP-Server %1:%2 braucht das Passwort von „%3“, und es ist keines verfügbar: %4 Speichern Sie es auf diesem Rechner über die Desktop-Anwendung im Schlüsselbund (Einstellungen, E-Mail) oder geben Sie --smtp-password-file an.</translation>
    </message>
    <message>
        <source>Cannot watch for the stop signals.</source>
        <translation>Die Stoppsignale können nicht überwacht werden.</translation>
    </message>
    <message>
        <source>Email delivery is turned off in the settings of %1, so nothing is sent. An administrator turns it on in the desktop&apos;s settings (Email).</source>
        <translation>Der E-Mail-Versand ist in den Einstellungen von %1 ausgeschaltet, daher wird nichts gesendet. Ein Administrator schaltet ihn in den Einstellungen der Desktop-Anwendung ein (E-Mail).</translation>
    </message>
    <message>
        <source>The SMTP settings of %1 cannot be used: %2</source>
        <translation>Die SMTP-Einstellungen von %1 können nicht verwendet werden: %2</translation>
    </message>
    <message>
        <source>Stopping after the message in hand.</source>
        <translation>Wird nach der aktuellen Nachricht beendet.</translation>
    </message>
    <message numerus="yes">
        <source>Delivering the email of %1 through %2:%3, looking every %n second(s); stop with SIGTERM or Ctrl+C.</source>
        <translation>
            <numerusform>Die E-Mails von %1 werden über %2:%3 zugestellt, Prüfung alle %n Sekunde; beenden mit SIGTERM oder Strg+C.</numerusform>
            <numerusform>Die E-Mails von %1 werden über %2:%3 zugestellt, Prüfung alle %n Sekunden; beenden mit SIGTERM oder Strg+C.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Dispatcher</name>
    <message>
        <source>The one-time code of this email is no longer stored; send a new one instead.</source>
        <translation>Der Einmalcode dieser E-Mail ist nicht mehr gespeichert; senden Sie stattdessen einen neuen.</translation>
    </message>
    <message>
        <source>No attempt is left; the last one failed: %1</source>
        <translation>Es sind keine Versuche mehr übrig; der letzte ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>DomainName</name>
    <message>
        <source>“%1” is not a valid domain: %2</source>
        <translation>„%1“ ist keine gültige Domain: %2</translation>
    </message>
    <message>
        <source>Enter a domain, like example.com.</source>
        <translation>Geben Sie eine Domain ein, z. B. example.com.</translation>
    </message>
    <message numerus="yes">
        <source>a domain may be at most %n characters.</source>
        <translation>
            <numerusform>eine Domain darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>eine Domain darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is an IP address. Enter a domain name, like example.com.</source>
        <translation>„%1“ ist eine IP-Adresse. Geben Sie einen Domainnamen ein, z. B. example.com.</translation>
    </message>
    <message>
        <source>it cannot contain spaces.</source>
        <translation>sie darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>it cannot contain “%1”.</source>
        <translation>sie darf „%1“ nicht enthalten.</translation>
    </message>
    <message>
        <source>it needs at least one dot, like example.com.</source>
        <translation>sie braucht mindestens einen Punkt, z. B. example.com.</translation>
    </message>
    <message>
        <source>it cannot start or end with a dot or have two dots in a row.</source>
        <translation>sie darf nicht mit einem Punkt beginnen oder enden und keine zwei Punkte hintereinander enthalten.</translation>
    </message>
    <message>
        <source>a part between dots cannot start or end with a hyphen.</source>
        <translation>ein Teil zwischen Punkten darf nicht mit einem Bindestrich beginnen oder enden.</translation>
    </message>
    <message numerus="yes">
        <source>each part between dots may be at most %n characters.</source>
        <translation>
            <numerusform>jeder Teil zwischen Punkten darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>jeder Teil zwischen Punkten darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” cannot be part of a domain name: it is too long in its ASCII form or uses characters a domain cannot have.</source>
        <translation>„%1“ kann nicht Teil eines Domainnamens sein: In ASCII-Form ist es zu lang, oder es enthält Zeichen, die in einer Domain nicht vorkommen dürfen.</translation>
    </message>
    <message>
        <source>it contains characters that cannot be used in a domain name.</source>
        <translation>sie enthält Zeichen, die in einem Domainnamen nicht verwendet werden dürfen.</translation>
    </message>
    <message>
        <source>the last part cannot be digits only.</source>
        <translation>der letzte Teil darf nicht nur aus Ziffern bestehen.</translation>
    </message>
    <message>
        <source>“%1” does not contain a domain, like example.com.</source>
        <translation>„%1“ enthält keine Domain wie example.com.</translation>
    </message>
</context>
<context>
    <name>EmailAddress</name>
    <message>
        <source>Enter an email address, like name@example.com.</source>
        <translation>Geben Sie eine E-Mail-Adresse ein, z. B. name@example.com.</translation>
    </message>
    <message>
        <source>An email address cannot contain spaces.</source>
        <translation>Eine E-Mail-Adresse darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>The email address needs an @ followed by a domain, like name@example.com.</source>
        <translation>Die E-Mail-Adresse braucht ein @ gefolgt von einer Domain, z. B. name@example.com.</translation>
    </message>
    <message>
        <source>An email address can contain only one @.</source>
        <translation>Eine E-Mail-Adresse darf nur ein @ enthalten.</translation>
    </message>
    <message>
        <source>The email address needs a name before the @, like name@example.com.</source>
        <translation>Die E-Mail-Adresse braucht einen Namen vor dem @, z. B. name@example.com.</translation>
    </message>
    <message>
        <source>The part before the @ cannot contain “%1”.</source>
        <translation>Der Teil vor dem @ darf „%1“ nicht enthalten.</translation>
    </message>
    <message>
        <source>The part before the @ cannot start or end with a dot.</source>
        <translation>Der Teil vor dem @ darf nicht mit einem Punkt beginnen oder enden.</translation>
    </message>
    <message>
        <source>The part before the @ cannot contain two dots in a row.</source>
        <translation>Der Teil vor dem @ darf keine zwei Punkte hintereinander enthalten.</translation>
    </message>
    <message numerus="yes">
        <source>The part before the @ may be at most %n characters (letters beyond A–Z count as two to four).</source>
        <translation>
            <numerusform>Der Teil vor dem @ darf höchstens %n Zeichen lang sein (Buchstaben außerhalb von A–Z zählen zwei- bis vierfach).</numerusform>
            <numerusform>Der Teil vor dem @ darf höchstens %n Zeichen lang sein (Buchstaben außerhalb von A–Z zählen zwei- bis vierfach).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>An email address may be at most %n characters.</source>
        <translation>
            <numerusform>Eine E-Mail-Adresse darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Eine E-Mail-Adresse darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <source>Exported 1 customer to %1.</source>
        <translation>1 Kunde nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Exported %1 customers to %2.</source>
        <translation>%1 Kunden nach %2 exportiert.</translation>
    </message>
</context>
<context>
    <name>HeadlessSignIn</name>
    <message>
        <source>There is no password file at “%1”.</source>
        <translation>Unter „%1“ gibt es keine Passwortdatei.</translation>
    </message>
    <message>
        <source>The password file “%1” can be read or changed by other users. Allow its owner only (chmod 600) and try again.</source>
        <translation>Die Passwortdatei „%1“ kann von anderen Benutzern gelesen oder geändert werden. Erlauben Sie den Zugriff nur ihrem Eigentümer (chmod 600) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The password file “%1” cannot be read: %2</source>
        <translation>Die Passwortdatei „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The first line of the password file “%1” is empty.</source>
        <translation>Die erste Zeile der Passwortdatei „%1“ ist leer.</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Passwort für %1: </translation>
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
        <translation>RESELLERDESK_PASSWORD ist gesetzt, aber leer. Setzen Sie die Variable auf das Passwort von %1 oder entfernen Sie sie, um --password-file, den Schlüsselbund oder eine Abfrage zu verwenden.</translation>
    </message>
    <message>
        <source>No password for %1: set RESELLERDESK_PASSWORD, give --password-file FILE, store it in the system keychain, or run the command on a terminal to be asked.%2</source>
        <translation>Kein Passwort für %1: Setzen Sie RESELLERDESK_PASSWORD, geben Sie --password-file DATEI an, speichern Sie es im System-Schlüsselbund oder führen Sie den Befehl in einem Terminal aus, um danach gefragt zu werden.%2</translation>
    </message>
    <message>
        <source>Who signs in? Give --user EMAIL or set RESELLERDESK_USER.</source>
        <translation>Wer meldet sich an? Geben Sie --user E-MAIL an oder setzen Sie RESELLERDESK_USER.</translation>
    </message>
    <message>
        <source>%1 signed in with a temporary password. Sign in once in the desktop to choose a password, then use that one here.</source>
        <translation>%1 hat sich mit einem temporären Passwort angemeldet. Melden Sie sich einmal in der Desktop-Anwendung an, um ein Passwort zu wählen, und verwenden Sie dann dieses hier.</translation>
    </message>
    <message>
        <source>%1 has several memberships. Choose one with --membership ID-or-name:
%2</source>
        <translation>%1 hat mehrere Mitgliedschaften. Wählen Sie eine mit --membership ID-oder-Name:
%2</translation>
    </message>
    <message>
        <source>%1 has no membership “%2”. Choose one of these with --membership ID-or-name:
%3</source>
        <translation>%1 hat keine Mitgliedschaft „%2“. Wählen Sie eine der folgenden mit --membership ID-oder-Name:
%3</translation>
    </message>
    <message>
        <source>“%1” names several memberships of %2. Choose one by its number:
%3</source>
        <translation>„%1“ bezeichnet mehrere Mitgliedschaften von %2. Wählen Sie eine über ihre Nummer:
%3</translation>
    </message>
    <message>
        <source>There is no database at “%1”.</source>
        <translation>Unter „%1“ gibt es keine Datenbank.</translation>
    </message>
    <message>
        <source>The address has no password and the system keychain has none for it: %1</source>
        <translation>Die Adresse enthält kein Passwort, und im System-Schlüsselbund ist keines dafür gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>ImpersonationRepository</name>
    <message>
        <source>recording the Login As session</source>
        <translation>Protokollieren der Anmelden-als-Sitzung</translation>
    </message>
    <message>
        <source>reading the Login As session</source>
        <translation>Lesen der Anmelden-als-Sitzung</translation>
    </message>
    <message>
        <source>The Login As session does not exist.</source>
        <translation>Die Anmelden-als-Sitzung existiert nicht.</translation>
    </message>
    <message>
        <source>ending the Login As session</source>
        <translation>Beenden der Anmelden-als-Sitzung</translation>
    </message>
    <message>
        <source>reading the Login As sessions</source>
        <translation>Lesen der Anmelden-als-Sitzungen</translation>
    </message>
</context>
<context>
    <name>ImpersonationService</name>
    <message>
        <source>You are already viewing a client with Login As. End that session before you start another.</source>
        <translation>Sie sehen bereits einen Kunden mit „Anmelden als“. Beenden Sie diese Sitzung, bevor Sie eine neue starten.</translation>
    </message>
    <message>
        <source>No user of this account can be viewed with Login As: the account has no active client user below your role.</source>
        <translation>Kein Benutzer dieses Kontos kann mit „Anmelden als“ angezeigt werden: Das Konto hat keinen aktiven Kundenbenutzer unterhalb Ihrer Rolle.</translation>
    </message>
    <message>
        <source>Only client users below your role can be viewed.</source>
        <translation>Nur Kundenbenutzer unterhalb Ihrer Rolle können angezeigt werden.</translation>
    </message>
    <message>
        <source>This is your own login: open the account with Switch Membership instead.</source>
        <translation>Das ist Ihr eigener Zugang: Öffnen Sie das Konto stattdessen über „Mitgliedschaft wechseln“.</translation>
    </message>
    <message>
        <source>This user&apos;s access to the account is deactivated.</source>
        <translation>Der Zugriff dieses Benutzers auf das Konto ist deaktiviert.</translation>
    </message>
    <message>
        <source>%1 is also a %2 elsewhere, at or above your role, so you cannot view as them.</source>
        <translation>%1 hat anderswo auch die Rolle %2, auf oder über Ihrer Rolle, daher können Sie das Konto nicht als diese Person ansehen.</translation>
    </message>
    <message>
        <source>Say why you open this client&apos;s view; the reason is kept in the audit log.</source>
        <translation>Geben Sie an, warum Sie die Ansicht dieses Kunden öffnen; der Grund wird im Prüfprotokoll festgehalten.</translation>
    </message>
    <message numerus="yes">
        <source>The reason is too long: at most %n characters.</source>
        <translation>
            <numerusform>Der Grund ist zu lang: höchstens %n Zeichen.</numerusform>
            <numerusform>Der Grund ist zu lang: höchstens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Login As opens client users only, never staff or reseller memberships.</source>
        <translation>„Anmelden als“ öffnet nur Kundenbenutzer, nie Mitgliedschaften von Mitarbeitern oder Resellern.</translation>
    </message>
    <message>
        <source>The chosen user is not a user of this account.</source>
        <translation>Der gewählte Benutzer ist kein Benutzer dieses Kontos.</translation>
    </message>
    <message>
        <source>This is not a Login As session.</source>
        <translation>Dies ist keine Anmelden-als-Sitzung.</translation>
    </message>
    <message>
        <source>The Login As session does not exist.</source>
        <translation>Die Anmelden-als-Sitzung existiert nicht.</translation>
    </message>
</context>
<context>
    <name>ImportCommand</name>
    <message>
        <source>Usage: resellerdesk import FILE [--reseller NAME | --direct] [--plan NAME] [--paid] [--dry-run] [--send-setup-emails]</source>
        <translation>Aufruf: resellerdesk import DATEI [--reseller NAME | --direct] [--plan NAME] [--paid] [--dry-run] [--send-setup-emails]</translation>
    </message>
    <message>
        <source>--plan needs the name of a plan.</source>
        <translation>--plan braucht den Namen eines Tarifs.</translation>
    </message>
    <message>
        <source>--reseller needs the name of a reseller portal.</source>
        <translation>--reseller braucht den Namen eines Reseller-Portals.</translation>
    </message>
    <message>
        <source>Unknown option %1.</source>
        <translation>Unbekannte Option %1.</translation>
    </message>
    <message>
        <source>Give one file to import; “%1” is one too many.</source>
        <translation>Geben Sie eine Datei zum Importieren an; „%1“ ist eine zu viel.</translation>
    </message>
    <message>
        <source>Name the CSV file to import.</source>
        <translation>Nennen Sie die zu importierende CSV-Datei.</translation>
    </message>
    <message>
        <source>Give either --reseller NAME or --direct: customers join one reseller portal, or none.</source>
        <translation>Geben Sie entweder --reseller NAME oder --direct an: Die Kunden kommen zu einem Reseller-Portal oder zu keinem.</translation>
    </message>
    <message>
        <source>There is no reseller portal named “%1” that you can see. Check the name (as the Resellers page shows it).</source>
        <translation>Es gibt kein für Sie sichtbares Reseller-Portal namens „%1“. Prüfen Sie den Namen (so, wie ihn die Seite „Reseller“ zeigt).</translation>
    </message>
    <message>
        <source>Name the reseller portal the customers join with --reseller NAME, or give --direct to make them direct accounts of the vendor.</source>
        <translation>Nennen Sie mit --reseller NAME das Reseller-Portal, zu dem die Kunden kommen, oder geben Sie --direct an, um sie zu Direktkunden des Anbieters zu machen.</translation>
    </message>
    <message>
        <source>There is no plan named “%1” for these customers. Plans offered: %2.</source>
        <translation>Für diese Kunden gibt es keinen Tarif namens „%1“. Angebotene Tarife: %2.</translation>
    </message>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>Die Datei %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>Dry run, nothing was written. Rows: %1; would be imported: %2; refused: %3.</source>
        <translation>Probelauf, es wurde nichts geschrieben. Zeilen: %1; würden importiert: %2; abgelehnt: %3.</translation>
    </message>
    <message>
        <source>Rows: %1; imported: %2; refused: %3.</source>
        <translation>Zeilen: %1; importiert: %2; abgelehnt: %3.</translation>
    </message>
</context>
<context>
    <name>LocalAuthenticator</name>
    <message>
        <source>Enter your name.</source>
        <translation>Geben Sie Ihren Namen ein.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>This database already has users: sign in instead. Only an administrator can add further users.</source>
        <translation>Diese Datenbank hat bereits Benutzer: Melden Sie sich stattdessen an. Nur ein Administrator kann weitere Benutzer hinzufügen.</translation>
    </message>
    <message>
        <source>First-run setup</source>
        <translation>Ersteinrichtung</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Your password is correct, but you have no active access: the reseller portal or client account you belong to has been deactivated. Ask your administrator.</source>
        <translation>Ihr Passwort ist richtig, aber Sie haben keinen aktiven Zugriff: Das Reseller-Portal oder Kundenkonto, zu dem Sie gehören, wurde deaktiviert. Wenden Sie sich an Ihren Administrator.</translation>
    </message>
    <message>
        <source>You cannot open this context: it is not one of your memberships.</source>
        <translation>Sie können diesen Kontext nicht öffnen: Er gehört nicht zu Ihren Mitgliedschaften.</translation>
    </message>
    <message>
        <source>Choose a new password before you continue.</source>
        <translation>Wählen Sie ein neues Passwort, bevor Sie fortfahren.</translation>
    </message>
    <message>
        <source>This reseller portal or client account is no longer active. Choose another one or ask your administrator.</source>
        <translation>Dieses Reseller-Portal oder Kundenkonto ist nicht mehr aktiv. Wählen Sie ein anderes oder wenden Sie sich an Ihren Administrator.</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>Das aktuelle Passwort ist nicht richtig.</translation>
    </message>
    <message>
        <source>The new password must be different from the current one.</source>
        <translation>Das neue Passwort muss sich vom aktuellen unterscheiden.</translation>
    </message>
    <message>
        <source>During Login As no password can be changed. End the Login As session first.</source>
        <translation>Während „Anmelden als“ kann kein Passwort geändert werden. Beenden Sie zuerst die Anmelden-als-Sitzung.</translation>
    </message>
    <message>
        <source>During Login As no password can be confirmed. End the Login As session first.</source>
        <translation>Während „Anmelden als“ kann kein Passwort bestätigt werden. Beenden Sie zuerst die Anmelden-als-Sitzung.</translation>
    </message>
    <message>
        <source>The password is not correct.</source>
        <translation>Das Passwort ist nicht richtig.</translation>
    </message>
    <message>
        <source>The email address or password is not correct.</source>
        <translation>Die E-Mail-Adresse oder das Passwort ist nicht richtig.</translation>
    </message>
    <message numerus="yes">
        <source>This account is locked after too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Dieses Konto ist nach zu vielen Fehlversuchen gesperrt. Versuchen Sie es in %n Minute erneut.</numerusform>
            <numerusform>Dieses Konto ist nach zu vielen Fehlversuchen gesperrt. Versuchen Sie es in %n Minuten erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>The temporary password has expired; ask for a new setup email.</source>
        <translation>Das temporäre Passwort ist abgelaufen; fordern Sie eine neue Einrichtungs-E-Mail an.</translation>
    </message>
    <message>
        <source>This account has been archived and can no longer be used.</source>
        <translation>Dieses Konto wurde archiviert und kann nicht mehr verwendet werden.</translation>
    </message>
</context>
<context>
    <name>LockoutPolicy</name>
    <message>
        <source>The number of failed sign-ins before an account is locked must be between 1 and %1.</source>
        <translation>Die Anzahl fehlgeschlagener Anmeldungen, nach der ein Konto gesperrt wird, muss zwischen 1 und %1 liegen.</translation>
    </message>
    <message>
        <source>The longest lock-out must be between %1 and %2.</source>
        <translation>Die längste Sperre muss zwischen %1 und %2 liegen.</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>The first lock-out must last at least %1 and no longer than the longest lock-out.</source>
        <translation>Die erste Sperre muss mindestens %1 dauern und darf nicht länger als die längste Sperre sein.</translation>
    </message>
</context>
<context>
    <name>Membership</name>
    <message>
        <source>A membership must belong to an existing user.</source>
        <translation>Eine Mitgliedschaft muss zu einem existierenden Benutzer gehören.</translation>
    </message>
    <message>
        <source>The %1 role belongs to the vendor and cannot be tied to a reseller portal or client account.</source>
        <translation>Die Rolle %1 gehört zum Anbieter und kann nicht an ein Reseller-Portal oder Kundenkonto gebunden werden.</translation>
    </message>
    <message>
        <source>The %1 role needs the reseller portal it applies to.</source>
        <translation>Die Rolle %1 braucht das Reseller-Portal, für das sie gilt.</translation>
    </message>
    <message>
        <source>The %1 role needs the client account it applies to.</source>
        <translation>Die Rolle %1 braucht das Kundenkonto, für das sie gilt.</translation>
    </message>
    <message>
        <source>As %1 you cannot add users or memberships.</source>
        <translation>Als %1 können Sie keine Benutzer oder Mitgliedschaften hinzufügen.</translation>
    </message>
    <message>
        <source>You cannot grant the %1 role: a membership can only have a role no higher than your own (%2).</source>
        <translation>Sie können die Rolle %1 nicht vergeben: Eine Mitgliedschaft kann nur eine Rolle erhalten, die nicht höher ist als Ihre eigene (%2).</translation>
    </message>
</context>
<context>
    <name>MessageComposer</name>
    <message>
        <source>Your ResellerDesk account for %1</source>
        <translation>Ihr ResellerDesk-Konto für %1</translation>
    </message>
    <message>
        <source>Hello %1,

an account has been set up for %2.

Sign in to ResellerDesk with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5. You will choose your own password when you sign in; after that ResellerDesk opens your account&apos;s view with your plan, trial and usage.
</source>
        <translation>Hallo %1,

für %2 wurde ein Konto eingerichtet.

Melden Sie sich bei ResellerDesk an mit
  E-Mail: %3
  temporäres Passwort: %4

Das temporäre Passwort funktioniert einmal und läuft am %5 ab. Bei der Anmeldung wählen Sie Ihr eigenes Passwort; danach öffnet ResellerDesk die Ansicht Ihres Kontos mit Tarif, Testphase und Nutzung.
</translation>
    </message>
    <message>
        <source>Your reseller portal %1 is ready</source>
        <translation>Ihr Reseller-Portal %1 ist bereit</translation>
    </message>
    <message>
        <source>Hello %1,

your reseller portal %2 has been created in ResellerDesk. Sign in as %3 with your usual password and choose &quot;%2&quot; to add and look after your own customers. Your account&apos;s own view stays available as before.
</source>
        <translation>Hallo %1,

Ihr Reseller-Portal %2 wurde in ResellerDesk angelegt. Melden Sie sich wie gewohnt als %3 mit Ihrem Passwort an und wählen Sie „%2“, um eigene Kunden hinzuzufügen und zu betreuen. Die Ansicht Ihres eigenen Kontos bleibt wie bisher verfügbar.
</translation>
    </message>
    <message>
        <source>You have been invited to ResellerDesk (%1)</source>
        <translation>Sie wurden zu ResellerDesk eingeladen (%1)</translation>
    </message>
    <message>
        <source>Hello %1,

you now have access to %2 in ResellerDesk.

Sign in with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5; you will choose your own password when you sign in.
</source>
        <translation>Hallo %1,

Sie haben jetzt Zugriff auf %2 in ResellerDesk.

Melden Sie sich an mit
  E-Mail: %3
  temporäres Passwort: %4

Das temporäre Passwort funktioniert einmal und läuft am %5 ab; bei der Anmeldung wählen Sie Ihr eigenes Passwort.
</translation>
    </message>
    <message>
        <source>You now have access to %1 in ResellerDesk</source>
        <translation>Sie haben jetzt Zugriff auf %1 in ResellerDesk</translation>
    </message>
    <message>
        <source>Hello %1,

you now also have access to %2 in ResellerDesk, as %3.

Sign in as usual with your email address %4 and your existing password, then choose %2 when ResellerDesk asks where to work.
</source>
        <translation>Hallo %1,

Sie haben jetzt in ResellerDesk auch Zugriff auf %2, als %3.

Melden Sie sich wie gewohnt mit Ihrer E-Mail-Adresse %4 und Ihrem bisherigen Passwort an und wählen Sie dann %2, wenn ResellerDesk fragt, wo Sie arbeiten möchten.
</translation>
    </message>
    <message>
        <source>Your ResellerDesk password has been reset</source>
        <translation>Ihr ResellerDesk-Passwort wurde zurückgesetzt</translation>
    </message>
    <message>
        <source>Hello %1,

your ResellerDesk password (for %2) has been reset; the old password no longer works.

Sign in with
  email: %3
  temporary password: %4

The temporary password works once and expires on %5; you will choose a new password when you sign in. If you did not ask for this, tell your administrator.
</source>
        <translation>Hallo %1,

Ihr ResellerDesk-Passwort (für %2) wurde zurückgesetzt; das alte Passwort funktioniert nicht mehr.

Melden Sie sich an mit
  E-Mail: %3
  temporäres Passwort: %4

Das temporäre Passwort funktioniert einmal und läuft am %5 ab; bei der Anmeldung wählen Sie ein neues Passwort. Falls Sie das nicht angefordert haben, informieren Sie Ihren Administrator.
</translation>
    </message>
    <message>
        <source>Support opened your ResellerDesk account %1</source>
        <translation>Der Support hat Ihr ResellerDesk-Konto %1 geöffnet</translation>
    </message>
    <message>
        <source>Hello %1,

%2 opened the ResellerDesk view of %3 on your behalf at %4 (until %5 at the latest).

Reason given: %6

Everything done during this visit is recorded in your account&apos;s audit trail. If you did not expect this, contact your reseller.
</source>
        <translation>Hallo %1,

%2 hat am %4 in Ihrem Auftrag die ResellerDesk-Ansicht von %3 geöffnet (bis spätestens %5).

Angegebener Grund: %6

Alles, was während dieses Besuchs getan wird, wird im Prüfprotokoll Ihres Kontos festgehalten. Falls Sie das nicht erwartet haben, wenden Sie sich an Ihren Reseller.
</translation>
    </message>
    <message>
        <source>Your ResellerDesk trial for %1 ends soon</source>
        <translation>Ihre ResellerDesk-Testphase für %1 endet bald</translation>
    </message>
    <message>
        <source>Hello %1,

the free trial of %2 ends on %3. Contact your reseller to continue with a paid plan.
</source>
        <translation>Hallo %1,

die kostenlose Testphase von %2 endet am %3. Wenden Sie sich an Ihren Reseller, um mit einem bezahlten Tarif weiterzumachen.
</translation>
    </message>
</context>
<context>
    <name>MigrationRunner</name>
    <message>
        <source>The migration file “%1” is not named NNNN_name.sql.</source>
        <translation>Die Migrationsdatei „%1“ hat nicht die Namensform NNNN_name.sql.</translation>
    </message>
    <message>
        <source>The migration file “%1” cannot be read.</source>
        <translation>Die Migrationsdatei „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Two migrations have the number %1.</source>
        <translation>Zwei Migrationen haben die Nummer %1.</translation>
    </message>
    <message>
        <source>reading the schema</source>
        <translation>Lesen des Schemas</translation>
    </message>
    <message>
        <source>“%1” already holds tables that are not a ResellerDesk database. Choose an empty database or a ResellerDesk one.</source>
        <translation>„%1“ enthält bereits Tabellen, die keine ResellerDesk-Datenbank bilden. Wählen Sie eine leere Datenbank oder eine ResellerDesk-Datenbank.</translation>
    </message>
    <message>
        <source>reading the schema version</source>
        <translation>Lesen der Schemaversion</translation>
    </message>
    <message>
        <source>“%1” was written by a newer ResellerDesk (schema version %2; this version knows up to %3). Update ResellerDesk to open it; nothing was changed.</source>
        <translation>„%1“ wurde von einer neueren ResellerDesk-Version geschrieben (Schemaversion %2; diese Version kennt bis %3). Aktualisieren Sie ResellerDesk, um sie zu öffnen; es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>“%1” has schema version %2 and needs upgrading to %3.</source>
        <translation>„%1“ hat die Schemaversion %2 und muss auf %3 aktualisiert werden.</translation>
    </message>
    <message>
        <source>A backup named “%1” already exists; try again in a second.</source>
        <translation>Eine Sicherung namens „%1“ existiert bereits; versuchen Sie es in einer Sekunde erneut.</translation>
    </message>
    <message>
        <source>Could not back up the database to “%1” before upgrading it; the database was not changed.</source>
        <translation>Die Datenbank konnte vor dem Aktualisieren nicht nach „%1“ gesichert werden; die Datenbank wurde nicht geändert.</translation>
    </message>
    <message>
        <source>upgrading the database to schema version %1</source>
        <translation>Aktualisieren der Datenbank auf Schemaversion %1</translation>
    </message>
    <message>
        <source>Upgrading the database to schema version %1 (%2) failed; the upgrade was rolled back and nothing was changed.</source>
        <translation>Das Aktualisieren der Datenbank auf Schemaversion %1 (%2) ist fehlgeschlagen; die Aktualisierung wurde zurückgenommen, es wurde nichts geändert.</translation>
    </message>
</context>
<context>
    <name>MimeMessage</name>
    <message>
        <source>This email header must not contain line breaks or control characters.</source>
        <translation>Diese E-Mail-Kopfzeile darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>“%1” has non-ASCII letters before the @, which the mail server cannot accept.</source>
        <translation>„%1“ enthält vor dem @ Buchstaben außerhalb von ASCII, die der Mailserver nicht annehmen kann.</translation>
    </message>
    <message>
        <source>The email has no valid date.</source>
        <translation>Die E-Mail hat kein gültiges Datum.</translation>
    </message>
    <message>
        <source>The email has no outbox id.</source>
        <translation>Die E-Mail hat keine Postausgangs-ID.</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>The amount is too large.</source>
        <translation>Der Betrag ist zu groß.</translation>
    </message>
    <message>
        <source>Enter an amount, like 1234.56.</source>
        <translation>Geben Sie einen Betrag ein, z. B. 1234.56.</translation>
    </message>
    <message>
        <source>“%1” is not an amount: use digits and a &apos;.&apos; before the decimals, like 1234.56.</source>
        <translation>„%1“ ist kein Betrag: Verwenden Sie Ziffern und einen &apos;.&apos; vor den Nachkommastellen, z. B. 1234.56.</translation>
    </message>
    <message>
        <source>The amount “%1” is too large.</source>
        <translation>Der Betrag „%1“ ist zu groß.</translation>
    </message>
    <message>
        <source>%1 amounts have no decimal places.</source>
        <translation>Beträge in %1 haben keine Nachkommastellen.</translation>
    </message>
    <message numerus="yes">
        <source>%1 amounts have at most %n decimal places.</source>
        <translation>
            <numerusform>Beträge in %1 haben höchstens %n Nachkommastelle.</numerusform>
            <numerusform>Beträge in %1 haben höchstens %n Nachkommastellen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot add an amount in %1 to one in %2.</source>
        <translation>Ein Betrag in %1 kann nicht zu einem in %2 addiert werden.</translation>
    </message>
    <message>
        <source>The total is too large.</source>
        <translation>Die Summe ist zu groß.</translation>
    </message>
    <message>
        <source>Cannot subtract an amount in %1 from one in %2.</source>
        <translation>Ein Betrag in %1 kann nicht von einem in %2 abgezogen werden.</translation>
    </message>
    <message>
        <source>The result is too large.</source>
        <translation>Das Ergebnis ist zu groß.</translation>
    </message>
</context>
<context>
    <name>OrderRepository</name>
    <message>
        <source>saving the order</source>
        <translation>Speichern der Bestellung</translation>
    </message>
    <message>
        <source>reading orders</source>
        <translation>Lesen der Bestellungen</translation>
    </message>
</context>
<context>
    <name>OutboxRepository</name>
    <message>
        <source>The email was changed by someone else meanwhile (sent, resent or cancelled). Reload the outbox to see its state.</source>
        <translation>Die E-Mail wurde inzwischen von jemand anderem geändert (gesendet, erneut gesendet oder storniert). Laden Sie den Postausgang neu, um ihren Stand zu sehen.</translation>
    </message>
    <message>
        <source>queueing an email</source>
        <translation>Einstellen einer E-Mail in den Postausgang</translation>
    </message>
    <message>
        <source>reading the outbox</source>
        <translation>Lesen des Postausgangs</translation>
    </message>
    <message>
        <source>The queued email no longer exists.</source>
        <translation>Die E-Mail im Postausgang existiert nicht mehr.</translation>
    </message>
    <message>
        <source>claiming queued email</source>
        <translation>Übernehmen wartender E-Mails</translation>
    </message>
    <message>
        <source>The email was changed by someone else while it was being sent (cancelled, or recovered after its lease expired).</source>
        <translation>Die E-Mail wurde während des Sendens von jemand anderem geändert (storniert oder nach Ablauf ihrer Reservierung wiederhergestellt).</translation>
    </message>
    <message>
        <source>recording a sent email</source>
        <translation>Protokollieren einer gesendeten E-Mail</translation>
    </message>
    <message>
        <source>recording a delayed email</source>
        <translation>Protokollieren einer verzögerten E-Mail</translation>
    </message>
    <message>
        <source>recording a failed email</source>
        <translation>Protokollieren einer fehlgeschlagenen E-Mail</translation>
    </message>
    <message>
        <source>recording an email of unknown outcome</source>
        <translation>Protokollieren einer E-Mail mit unbekanntem Ergebnis</translation>
    </message>
    <message>
        <source>The sender stopped while delivering this email (its lease expired); it may or may not have been sent. It is not sent again automatically.</source>
        <translation>Der Versand wurde während der Zustellung dieser E-Mail unterbrochen (ihre Reservierung ist abgelaufen); sie wurde möglicherweise gesendet, möglicherweise nicht. Sie wird nicht automatisch erneut gesendet.</translation>
    </message>
    <message>
        <source>recovering interrupted email</source>
        <translation>Wiederherstellen unterbrochener E-Mails</translation>
    </message>
    <message>
        <source>counting the outbox</source>
        <translation>Zählen des Postausgangs</translation>
    </message>
    <message>
        <source>This email is still waiting to be sent; it does not need a resend.</source>
        <translation>Diese E-Mail wartet noch auf den Versand; sie muss nicht erneut gesendet werden.</translation>
    </message>
    <message>
        <source>This email is being sent right now.</source>
        <translation>Diese E-Mail wird gerade gesendet.</translation>
    </message>
    <message>
        <source>This email has been sent; sending it again would deliver it twice.</source>
        <translation>Diese E-Mail wurde gesendet; ein erneutes Senden würde sie doppelt zustellen.</translation>
    </message>
    <message>
        <source>This email carried a one-time code, which was removed when the email was cancelled, so it cannot be sent again. Use Resend Setup Email (customers) or Reset Password (users) to send a new code.</source>
        <translation>Diese E-Mail enthielt einen Einmalcode, der beim Stornieren der E-Mail gelöscht wurde, daher kann sie nicht erneut gesendet werden. Verwenden Sie „Einrichtungs-E-Mail erneut senden“ (Kunden) oder „Passwort zurücksetzen“ (Benutzer), um einen neuen Code zu senden.</translation>
    </message>
    <message>
        <source>This email is being sent right now and cannot be cancelled. Try again when the attempt has finished.</source>
        <translation>Diese E-Mail wird gerade gesendet und kann nicht storniert werden. Versuchen Sie es erneut, wenn der Versuch abgeschlossen ist.</translation>
    </message>
    <message>
        <source>This email has been sent already; it can no longer be cancelled.</source>
        <translation>Diese E-Mail wurde bereits gesendet; sie kann nicht mehr storniert werden.</translation>
    </message>
    <message>
        <source>This email is cancelled already.</source>
        <translation>Diese E-Mail ist bereits storniert.</translation>
    </message>
    <message>
        <source>queueing an email again</source>
        <translation>Erneutes Einstellen einer E-Mail in den Postausgang</translation>
    </message>
    <message>
        <source>cancelling queued email</source>
        <translation>Stornieren einer wartenden E-Mail</translation>
    </message>
</context>
<context>
    <name>OutboxService</name>
    <message>
        <source>This message does not exist or is not in your scope.</source>
        <translation>Diese Nachricht existiert nicht oder liegt nicht in Ihrem Bereich.</translation>
    </message>
    <message>
        <source>Your role lets you see this email but not resend or cancel it; that takes the right to manage the customer or user it concerns.</source>
        <translation>Ihre Rolle erlaubt es, diese E-Mail zu sehen, aber nicht, sie erneut zu senden oder zu stornieren; dafür ist das Recht nötig, den betroffenen Kunden oder Benutzer zu verwalten.</translation>
    </message>
</context>
<context>
    <name>PasswordHasher</name>
    <message numerus="yes">
        <source>A password needs at least %n characters.</source>
        <translation>
            <numerusform>Ein Passwort braucht mindestens %n Zeichen.</numerusform>
            <numerusform>Ein Passwort braucht mindestens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A password may be at most %n characters.</source>
        <translation>
            <numerusform>Ein Passwort darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Ein Passwort darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>The password could not be hashed: not enough memory.</source>
        <translation>Das Passwort konnte nicht gehasht werden: nicht genügend Arbeitsspeicher.</translation>
    </message>
</context>
<context>
    <name>PhoneNumber</name>
    <message>
        <source>Enter a phone number.</source>
        <translation>Geben Sie eine Telefonnummer ein.</translation>
    </message>
    <message numerus="yes">
        <source>A phone number may be at most %n characters.</source>
        <translation>
            <numerusform>Eine Telefonnummer darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Eine Telefonnummer darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” does not start with a known country code.</source>
        <translation>„%1“ beginnt nicht mit einer bekannten Ländervorwahl.</translation>
    </message>
    <message>
        <source>“%1” is too short to be a phone number.</source>
        <translation>„%1“ ist zu kurz für eine Telefonnummer.</translation>
    </message>
    <message>
        <source>“%1” is too long to be a phone number.</source>
        <translation>„%1“ ist zu lang für eine Telefonnummer.</translation>
    </message>
    <message>
        <source>Enter the number with its country code, like +49 30 1234567.</source>
        <translation>Geben Sie die Nummer mit Ländervorwahl ein, z. B. +49 30 1234567.</translation>
    </message>
    <message>
        <source>“%1” is not a phone number.</source>
        <translation>„%1“ ist keine Telefonnummer.</translation>
    </message>
    <message>
        <source>Enter the phone number without an extension (“%1”).</source>
        <translation>Geben Sie die Telefonnummer ohne Durchwahl ein („%1“).</translation>
    </message>
    <message>
        <source>“%1” needs its area code.</source>
        <translation>Bei „%1“ fehlt die Ortsvorwahl.</translation>
    </message>
    <message>
        <source>“%1” is not a valid phone number. Check the digits and the country code.</source>
        <translation>„%1“ ist keine gültige Telefonnummer. Prüfen Sie die Ziffern und die Ländervorwahl.</translation>
    </message>
</context>
<context>
    <name>ResellerRepository</name>
    <message>
        <source>saving the reseller</source>
        <translation>Speichern des Resellers</translation>
    </message>
    <message>
        <source>A reseller named %1 exists.</source>
        <translation>Es gibt bereits einen Reseller namens %1.</translation>
    </message>
    <message>
        <source>reading a reseller</source>
        <translation>Lesen eines Resellers</translation>
    </message>
    <message>
        <source>The reseller no longer exists.</source>
        <translation>Der Reseller existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The reseller %1 was changed by someone else. Reload it and make your change again.</source>
        <translation>Der Reseller %1 wurde von jemand anderem geändert. Laden Sie ihn neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>saving the reseller&apos;s plans</source>
        <translation>Speichern der Tarife des Resellers</translation>
    </message>
    <message>
        <source>reading the reseller&apos;s plans</source>
        <translation>Lesen der Tarife des Resellers</translation>
    </message>
    <message>
        <source>reading resellers</source>
        <translation>Lesen der Reseller</translation>
    </message>
    <message>
        <source>reading the resellers&apos; plans</source>
        <translation>Lesen der Tarife der Reseller</translation>
    </message>
    <message>
        <source>checking the reseller&apos;s name</source>
        <translation>Prüfen des Reseller-Namens</translation>
    </message>
    <message>
        <source>reading a price list</source>
        <translation>Lesen einer Preisliste</translation>
    </message>
    <message>
        <source>checking plans</source>
        <translation>Prüfen der Tarife</translation>
    </message>
</context>
<context>
    <name>ResellerService</name>
    <message>
        <source>Enter the reseller&apos;s name.</source>
        <translation>Geben Sie den Namen des Resellers ein.</translation>
    </message>
    <message>
        <source>Reseller name</source>
        <translation>Reseller-Name</translation>
    </message>
    <message>
        <source>The commission rate must be between 0 % and 100 %.</source>
        <translation>Der Provisionssatz muss zwischen 0 % und 100 % liegen.</translation>
    </message>
    <message>
        <source>The override rate must be between 0 % and 100 %.</source>
        <translation>Der Override-Satz muss zwischen 0 % und 100 % liegen.</translation>
    </message>
    <message>
        <source>Choose the price list this reseller&apos;s customers are priced on.</source>
        <translation>Wählen Sie die Preisliste, nach der die Kunden dieses Resellers abgerechnet werden.</translation>
    </message>
    <message>
        <source>Choose at least one plan the reseller offers.</source>
        <translation>Wählen Sie mindestens einen Tarif, den der Reseller anbietet.</translation>
    </message>
    <message>
        <source>A reseller cannot be its own parent.</source>
        <translation>Ein Reseller kann nicht sein eigener übergeordneter Reseller sein.</translation>
    </message>
    <message>
        <source>The parent reseller does not exist.</source>
        <translation>Der übergeordnete Reseller existiert nicht.</translation>
    </message>
    <message>
        <source>The parent reseller %1 is inactive. Choose an active one.</source>
        <translation>Der übergeordnete Reseller %1 ist inaktiv. Wählen Sie einen aktiven.</translation>
    </message>
    <message>
        <source>%1 cannot be the parent: it is a sub-portal of this reseller.</source>
        <translation>%1 kann nicht übergeordneter Reseller sein: Es ist ein Unterportal dieses Resellers.</translation>
    </message>
    <message>
        <source>A reseller named “%1” already exists. Choose another name.</source>
        <translation>Es gibt bereits einen Reseller namens „%1“. Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>The chosen price list does not exist or was archived.</source>
        <translation>Die gewählte Preisliste existiert nicht oder wurde archiviert.</translation>
    </message>
    <message numerus="yes">
        <source>%n of the chosen plans no longer exist or were archived.</source>
        <translation>
            <numerusform>%n der gewählten Tarife existiert nicht mehr oder wurde archiviert.</numerusform>
            <numerusform>%n der gewählten Tarife existieren nicht mehr oder wurden archiviert.</numerusform>
        </translation>
    </message>
    <message>
        <source>The reseller %1 was changed by someone else. Reload it and make your change again.</source>
        <translation>Der Reseller %1 wurde von jemand anderem geändert. Laden Sie ihn neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>Give a reason for deactivating the reseller.</source>
        <translation>Geben Sie einen Grund für die Deaktivierung des Resellers an.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <source>Reseller Admin</source>
        <translation>Reseller-Admin</translation>
    </message>
    <message>
        <source>Reseller Manager</source>
        <translation>Reseller-Manager</translation>
    </message>
    <message>
        <source>Reseller User</source>
        <translation>Reseller-Benutzer</translation>
    </message>
    <message>
        <source>Client Admin</source>
        <translation>Kunden-Admin</translation>
    </message>
    <message>
        <source>Client User</source>
        <translation>Kunden-Benutzer</translation>
    </message>
</context>
<context>
    <name>ScopeRepository</name>
    <message>
        <source>checking access to a customer</source>
        <translation>Prüfen des Zugriffs auf einen Kunden</translation>
    </message>
    <message>
        <source>checking access to a reseller</source>
        <translation>Prüfen des Zugriffs auf einen Reseller</translation>
    </message>
    <message>
        <source>checking access to customers</source>
        <translation>Prüfen des Zugriffs auf Kunden</translation>
    </message>
</context>
<context>
    <name>SettingsRepository</name>
    <message>
        <source>The settings were changed by someone else in the meantime. Reload them and make your change again.</source>
        <translation>Die Einstellungen wurden inzwischen von jemand anderem geändert. Laden Sie sie neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>reading the settings</source>
        <translation>Lesen der Einstellungen</translation>
    </message>
    <message>
        <source>saving the settings</source>
        <translation>Speichern der Einstellungen</translation>
    </message>
</context>
<context>
    <name>SettingsService</name>
    <message>
        <source>A Login As session must last between %1 and %2 minutes.</source>
        <translation>Eine Anmelden-als-Sitzung muss zwischen %1 und %2 Minuten dauern.</translation>
    </message>
    <message>
        <source>Settings cannot be changed during Login As.</source>
        <translation>Während „Anmelden als“ können keine Einstellungen geändert werden.</translation>
    </message>
</context>
<context>
    <name>SmtpSettings</name>
    <message>
        <source>Enter the mail server that delivers the email, like smtp.example.com.</source>
        <translation>Geben Sie den Mailserver ein, der die E-Mails zustellt, z. B. smtp.example.com.</translation>
    </message>
    <message>
        <source>“%1” is not a server name or IP address, like smtp.example.com.</source>
        <translation>„%1“ ist kein Servername und keine IP-Adresse wie smtp.example.com.</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535; %1 is usual for this kind of connection.</source>
        <translation>Der Port muss zwischen 1 und 65535 liegen; für diese Verbindungsart ist %1 üblich.</translation>
    </message>
    <message numerus="yes">
        <source>The user name may have at most %n characters and no line breaks.</source>
        <translation>
            <numerusform>Der Benutzername darf höchstens %n Zeichen und keine Zeilenumbrüche enthalten.</numerusform>
            <numerusform>Der Benutzername darf höchstens %n Zeichen und keine Zeilenumbrüche enthalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Without encryption the password would cross the network in plain text. Choose STARTTLS or TLS, or allow this explicitly.</source>
        <translation>Ohne Verschlüsselung würde das Passwort im Klartext durch das Netzwerk gehen. Wählen Sie STARTTLS oder TLS oder erlauben Sie dies ausdrücklich.</translation>
    </message>
    <message>
        <source>Enter the address the email is sent from.</source>
        <translation>Geben Sie die Adresse ein, von der die E-Mails gesendet werden.</translation>
    </message>
    <message>
        <source>The sender address cannot begin or end with spaces.</source>
        <translation>Die Absenderadresse darf nicht mit Leerzeichen beginnen oder enden.</translation>
    </message>
    <message>
        <source>The sender name cannot contain line breaks or control characters.</source>
        <translation>Der Absendername darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message numerus="yes">
        <source>The sender name may have at most %n characters.</source>
        <translation>
            <numerusform>Der Absendername darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Absendername darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the path of a PEM file with the extra certificates, or leave it empty to trust the system&apos;s certificates only.</source>
        <translation>Geben Sie den Pfad einer PEM-Datei mit den zusätzlichen Zertifikaten ein, oder lassen Sie das Feld leer, um nur den Zertifikaten des Systems zu vertrauen.</translation>
    </message>
</context>
<context>
    <name>SmtpTransport</name>
    <message>
        <source>TLS is not available on this computer.</source>
        <translation>TLS ist auf diesem Computer nicht verfügbar.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read or holds no certificate.</source>
        <translation>Die CA-Zertifikatsdatei „%1“ kann nicht gelesen werden oder enthält kein Zertifikat.</translation>
    </message>
    <message numerus="yes">
        <source>no answer within %n second(s)</source>
        <translation>
            <numerusform>keine Antwort innerhalb von %n Sekunde</numerusform>
            <numerusform>keine Antwort innerhalb von %n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot connect to the mail server %1:%2: %3</source>
        <translation>Keine Verbindung zum Mailserver %1:%2 möglich: %3</translation>
    </message>
    <message>
        <source>The mail server %1 does not offer STARTTLS, which this profile requires.</source>
        <translation>Der Mailserver %1 bietet kein STARTTLS an, das dieses Profil jedoch verlangt.</translation>
    </message>
    <message>
        <source>The mail server sent unexpected data before the TLS handshake.</source>
        <translation>Der Mailserver hat vor dem TLS-Handshake unerwartete Daten gesendet.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed: %2</source>
        <translation>Der TLS-Handshake mit %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The password is not sent over an unencrypted connection: choose STARTTLS or TLS for this mail server.</source>
        <translation>Das Passwort wird nicht über eine unverschlüsselte Verbindung gesendet: Wählen Sie STARTTLS oder TLS für diesen Mailserver.</translation>
    </message>
    <message>
        <source>The mail server offers no sign-in method ResellerDesk supports (PLAIN or LOGIN).</source>
        <translation>Der Mailserver bietet kein Anmeldeverfahren an, das ResellerDesk unterstützt (PLAIN oder LOGIN).</translation>
    </message>
    <message>
        <source>The mail server refused %1: %2</source>
        <translation>Der Mailserver hat %1 abgelehnt: %2</translation>
    </message>
    <message numerus="yes">
        <source>No answer from the mail server within %n second(s) (%1).</source>
        <translation>
            <numerusform>Keine Antwort vom Mailserver innerhalb von %n Sekunde (%1).</numerusform>
            <numerusform>Keine Antwort vom Mailserver innerhalb von %n Sekunden (%1).</numerusform>
        </translation>
    </message>
    <message>
        <source>The mail server closed the connection (%1).</source>
        <translation>Der Mailserver hat die Verbindung geschlossen (%1).</translation>
    </message>
    <message>
        <source>The mail server&apos;s answer is not valid SMTP (%1).</source>
        <translation>Die Antwort des Mailservers ist kein gültiges SMTP (%1).</translation>
    </message>
    <message>
        <source>The message may have been delivered.</source>
        <translation>Die Nachricht wurde möglicherweise zugestellt.</translation>
    </message>
    <message>
        <source>No mail server is set up.</source>
        <translation>Es ist kein Mailserver eingerichtet.</translation>
    </message>
</context>
<context>
    <name>SqlErrors</name>
    <message>
        <source>Could not finish %1: the value is already in use.</source>
        <translation>Fehler beim %1: Der Wert wird bereits verwendet.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database file is damaged.</source>
        <translation>Fehler beim %1: Die Datenbankdatei ist beschädigt.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database is busy. Try again.</source>
        <translation>Fehler beim %1: Die Datenbank ist ausgelastet. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Could not finish %1: the database reported an error.</source>
        <translation>Fehler beim %1: Die Datenbank hat einen Fehler gemeldet.</translation>
    </message>
</context>
<context>
    <name>TransferRepository</name>
    <message>
        <source>locking customers</source>
        <translation>Sperren der Kunden</translation>
    </message>
    <message>
        <source>reading customers</source>
        <translation>Lesen der Kunden</translation>
    </message>
    <message>
        <source>reading a customer</source>
        <translation>Lesen eines Kunden</translation>
    </message>
    <message>
        <source>reading assignments</source>
        <translation>Lesen der Zuordnungen</translation>
    </message>
    <message>
        <source>reading a reseller</source>
        <translation>Lesen eines Resellers</translation>
    </message>
    <message>
        <source>reading resellers</source>
        <translation>Lesen der Reseller</translation>
    </message>
    <message>
        <source>ending assignments</source>
        <translation>Beenden der Zuordnungen</translation>
    </message>
    <message>
        <source>saving the customer&apos;s owner</source>
        <translation>Speichern des Eigentümers des Kunden</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Der Kunde existiert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 wurde von jemand anderem geändert. Laden Sie die Daten neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>saving the assignments</source>
        <translation>Speichern der Zuordnungen</translation>
    </message>
    <message>
        <source>A customer is already assigned to this reseller, or already has an owner. Reload and try again.</source>
        <translation>Ein Kunde ist diesem Reseller bereits zugeordnet oder hat bereits einen Eigentümer. Laden Sie neu und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>saving the customers&apos; owner</source>
        <translation>Speichern des Eigentümers der Kunden</translation>
    </message>
    <message>
        <source>writing the audit trail</source>
        <translation>Schreiben des Prüfprotokolls</translation>
    </message>
</context>
<context>
    <name>TransferService</name>
    <message>
        <source>The assignments of %1 were changed by someone else. Reload and try again.</source>
        <translation>Die Zuordnungen von %1 wurden von jemand anderem geändert. Laden Sie neu und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The assignments of some of the selected customers were changed by someone else. Reload and try again.</source>
        <translation>Die Zuordnungen einiger der ausgewählten Kunden wurden von jemand anderem geändert. Laden Sie neu und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The plan no longer exists. Choose another plan for %1 first.</source>
        <translation>Der Tarif existiert nicht mehr. Wählen Sie zuerst einen anderen Tarif für %1.</translation>
    </message>
    <message>
        <source>%1 does not offer the plan %2. Choose one of its plans for %3 first.</source>
        <translation>%1 bietet den Tarif %2 nicht an. Wählen Sie zuerst einen der dort angebotenen Tarife für %3.</translation>
    </message>
    <message>
        <source>The price list %1 of %2 has no price for the plan %3. Choose another plan first.</source>
        <translation>Die Preisliste %1 von %2 enthält keinen Preis für den Tarif %3. Wählen Sie zuerst einen anderen Tarif.</translation>
    </message>
    <message>
        <source> (portal)</source>
        <translation> (Portal)</translation>
    </message>
    <message>
        <source> (portal %1)</source>
        <translation> (Portal %1)</translation>
    </message>
    <message>
        <source>No free name for a reseller portal of %1 was found. Rename the resellers named after it and try again.</source>
        <translation>Es wurde kein freier Name für ein Reseller-Portal von %1 gefunden. Benennen Sie die Reseller um, die nach diesem Kunden benannt sind, und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 is inactive. Only active customers can be migrated to a reseller portal.</source>
        <translation>%1 ist inaktiv. Nur aktive Kunden können zu einem Reseller-Portal migriert werden.</translation>
    </message>
    <message>
        <source>%1 was already migrated to its own reseller portal. A customer migrates once.</source>
        <translation>%1 wurde bereits zu einem eigenen Reseller-Portal migriert. Ein Kunde wird nur einmal migriert.</translation>
    </message>
    <message>
        <source>%1 has no primary user who could run the reseller portal.</source>
        <translation>%1 hat keinen Hauptbenutzer, der das Reseller-Portal führen könnte.</translation>
    </message>
    <message>
        <source>The primary user of %1 was archived; they cannot run the reseller portal.</source>
        <translation>Der Hauptbenutzer von %1 wurde archiviert und kann das Reseller-Portal nicht führen.</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Der Kunde existiert nicht mehr.</translation>
    </message>
    <message>
        <source>Select at least one customer to clone.</source>
        <translation>Wählen Sie mindestens einen Kunden zum Klonen aus.</translation>
    </message>
    <message>
        <source>The price list goes with ownership: switch to the target&apos;s price list only when the current assignments end and the target becomes the owner.</source>
        <translation>Die Preisliste hängt am Eigentum: Wechseln Sie nur dann zur Preisliste des Ziels, wenn die bisherigen Zuordnungen enden und das Ziel Eigentümer wird.</translation>
    </message>
    <message>
        <source>The target reseller does not exist.</source>
        <translation>Der Ziel-Reseller existiert nicht.</translation>
    </message>
    <message>
        <source>The reseller %1 is deactivated; it cannot take customers. Choose an active reseller.</source>
        <translation>Der Reseller %1 ist deaktiviert und kann keine Kunden aufnehmen. Wählen Sie einen aktiven Reseller.</translation>
    </message>
    <message>
        <source>%1 uses the default price list, and there is none. Keep the customers&apos; price lists.</source>
        <translation>%1 verwendet die Standardpreisliste, und es gibt keine. Behalten Sie die Preislisten der Kunden bei.</translation>
    </message>
    <message>
        <source>The customer is inactive; inactive customers are not cloned.</source>
        <translation>Der Kunde ist inaktiv; inaktive Kunden werden nicht geklont.</translation>
    </message>
    <message>
        <source>The customer is already assigned to %1.</source>
        <translation>Der Kunde ist %1 bereits zugeordnet.</translation>
    </message>
    <message>
        <source>%1 does not offer the customer&apos;s plan %2. Move the customer with one of its plans instead.</source>
        <translation>%1 bietet den Tarif %2 des Kunden nicht an. Verschieben Sie den Kunden stattdessen mit einem der dort angebotenen Tarife.</translation>
    </message>
    <message>
        <source>The price list %1 of %2 has no price for the customer&apos;s plan %3. Keep the customer&apos;s price list, or move the customer with another plan.</source>
        <translation>Die Preisliste %1 von %2 enthält keinen Preis für den Tarif %3 des Kunden. Behalten Sie die Preisliste des Kunden bei oder verschieben Sie den Kunden mit einem anderen Tarif.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else. Reload it and make your change again.</source>
        <translation>%1 wurde von jemand anderem geändert. Laden Sie die Daten neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>%1 is already owned by %2. Choose another reseller.</source>
        <translation>%1 gehört bereits %2. Wählen Sie einen anderen Reseller.</translation>
    </message>
    <message>
        <source>%1 is already a direct account. Choose a reseller.</source>
        <translation>%1 ist bereits ein Direktkunde. Wählen Sie einen Reseller.</translation>
    </message>
    <message>
        <source>Portal name</source>
        <translation>Portalname</translation>
    </message>
    <message>
        <source>The commission rate must be between 0 % and 100 %.</source>
        <translation>Der Provisionssatz muss zwischen 0 % und 100 % liegen.</translation>
    </message>
    <message>
        <source>There is already a reseller named %1. Choose another name for the portal.</source>
        <translation>Es gibt bereits einen Reseller namens %1. Wählen Sie einen anderen Namen für das Portal.</translation>
    </message>
</context>
<context>
    <name>TrialPolicy</name>
    <message>
        <source>The trial length must be between 1 and %1 days.</source>
        <translation>Die Dauer der Testphase muss zwischen 1 und %1 Tagen liegen.</translation>
    </message>
    <message>
        <source>The trial budget must be between 1 and %1 identifications.</source>
        <translation>Das Testkontingent muss zwischen 1 und %1 Identifikationen liegen.</translation>
    </message>
    <message>
        <source>The reminder must be due at least 1 day before the trial ends and less than the trial length (%1 days) before it.</source>
        <translation>Die Erinnerung muss mindestens 1 Tag vor dem Ende der Testphase fällig sein und weniger als die Dauer der Testphase (%1 Tage) davor.</translation>
    </message>
    <message>
        <source>The longest single trial extension must be between 1 and %1 days.</source>
        <translation>Die längste einzelne Verlängerung der Testphase muss zwischen 1 und %1 Tagen liegen.</translation>
    </message>
    <message>
        <source>The longest total trial must be at least the trial length (%1 days) and at most %2 days.</source>
        <translation>Die längste Gesamtdauer einer Testphase muss mindestens der Testphasendauer (%1 Tage) entsprechen und darf höchstens %2 Tage betragen.</translation>
    </message>
    <message>
        <source>The highest trial budget must be at least the trial budget (%1) and at most %2 identifications.</source>
        <translation>Das höchste Testkontingent muss mindestens dem Testkontingent (%1) entsprechen und darf höchstens %2 Identifikationen betragen.</translation>
    </message>
    <message>
        <source>The trial&apos;s dates are missing or invalid.</source>
        <translation>Die Daten der Testphase fehlen oder sind ungültig.</translation>
    </message>
    <message>
        <source>A trial can be extended by 1 to %1 days at a time.</source>
        <translation>Eine Testphase kann jeweils um 1 bis %1 Tage verlängert werden.</translation>
    </message>
    <message>
        <source>A trial can last at most %1 days after the account was created; this trial cannot be extended any further.</source>
        <translation>Eine Testphase darf höchstens %1 Tage nach Anlage des Kontos dauern; diese Testphase kann nicht weiter verlängert werden.</translation>
    </message>
    <message numerus="yes">
        <source>A trial can last at most %1 days after the account was created; this trial can be extended by at most %n more day(s).</source>
        <translation>
            <numerusform>Eine Testphase darf höchstens %1 Tage nach Anlage des Kontos dauern; diese Testphase kann um höchstens %n weiteren Tag verlängert werden.</numerusform>
            <numerusform>Eine Testphase darf höchstens %1 Tage nach Anlage des Kontos dauern; diese Testphase kann um höchstens %n weitere Tage verlängert werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>A trial budget can only be raised: enter more than the current %1 identifications.</source>
        <translation>Ein Testkontingent kann nur erhöht werden: Geben Sie mehr als die aktuellen %1 Identifikationen ein.</translation>
    </message>
    <message>
        <source>A trial budget can be at most %1 identifications.</source>
        <translation>Ein Testkontingent darf höchstens %1 Identifikationen betragen.</translation>
    </message>
</context>
<context>
    <name>UsageRepository</name>
    <message>
        <source>reading usage</source>
        <translation>Lesen der Nutzung</translation>
    </message>
    <message>
        <source>recording usage</source>
        <translation>Erfassen der Nutzung</translation>
    </message>
</context>
<context>
    <name>UserRepository</name>
    <message>
        <source>A membership has an unknown role “%1”.</source>
        <translation>Eine Mitgliedschaft hat die unbekannte Rolle „%1“.</translation>
    </message>
    <message>
        <source>saving the user</source>
        <translation>Speichern des Benutzers</translation>
    </message>
    <message>
        <source>A user with the email address %1 already exists.</source>
        <translation>Es gibt bereits einen Benutzer mit der E-Mail-Adresse %1.</translation>
    </message>
    <message>
        <source>reading a user</source>
        <translation>Lesen eines Benutzers</translation>
    </message>
    <message>
        <source>The user no longer exists.</source>
        <translation>Der Benutzer existiert nicht mehr.</translation>
    </message>
    <message>
        <source>looking up a user</source>
        <translation>Nachschlagen eines Benutzers</translation>
    </message>
    <message>
        <source>saving the membership</source>
        <translation>Speichern der Mitgliedschaft</translation>
    </message>
    <message>
        <source>The user already has a membership in this context.</source>
        <translation>Der Benutzer hat in diesem Kontext bereits eine Mitgliedschaft.</translation>
    </message>
    <message>
        <source>reading memberships</source>
        <translation>Lesen der Mitgliedschaften</translation>
    </message>
    <message>
        <source>reading a membership</source>
        <translation>Lesen einer Mitgliedschaft</translation>
    </message>
    <message>
        <source>The membership no longer exists.</source>
        <translation>Die Mitgliedschaft existiert nicht mehr.</translation>
    </message>
    <message>
        <source>reading the users</source>
        <translation>Lesen der Benutzer</translation>
    </message>
    <message>
        <source>counting the users</source>
        <translation>Zählen der Benutzer</translation>
    </message>
    <message>
        <source>finding a user in the list</source>
        <translation>Suchen eines Benutzers in der Liste</translation>
    </message>
    <message>
        <source>The membership was changed by someone else in the meantime. Reload it and make your change again.</source>
        <translation>Die Mitgliedschaft wurde inzwischen von jemand anderem geändert. Laden Sie sie neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>counting users</source>
        <translation>Zählen von Benutzern</translation>
    </message>
    <message>
        <source>locking the users</source>
        <translation>Sperren der Benutzer</translation>
    </message>
    <message>
        <source>recording a failed sign-in</source>
        <translation>Protokollieren einer fehlgeschlagenen Anmeldung</translation>
    </message>
    <message>
        <source>locking the account</source>
        <translation>Sperren des Kontos</translation>
    </message>
    <message>
        <source>recording the sign-in</source>
        <translation>Protokollieren der Anmeldung</translation>
    </message>
    <message>
        <source>resetting the failed sign-ins</source>
        <translation>Zurücksetzen der fehlgeschlagenen Anmeldungen</translation>
    </message>
    <message>
        <source>saving the password</source>
        <translation>Speichern des Passworts</translation>
    </message>
    <message>
        <source>The user was changed by someone else in the meantime. Please try again.</source>
        <translation>Der Benutzer wurde inzwischen von jemand anderem geändert. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>saving the setup code</source>
        <translation>Speichern des Einrichtungscodes</translation>
    </message>
    <message>
        <source>resetting the password</source>
        <translation>Zurücksetzen des Passworts</translation>
    </message>
</context>
<context>
    <name>UserService</name>
    <message>
        <source>Users and memberships cannot be changed during Login As. Close the client view and make the change as yourself.</source>
        <translation>Während „Anmelden als“ können Benutzer und Mitgliedschaften nicht geändert werden. Schließen Sie die Kundenansicht und nehmen Sie die Änderung unter Ihrem eigenen Namen vor.</translation>
    </message>
    <message>
        <source>The membership does not exist or is not in your scope.</source>
        <translation>Die Mitgliedschaft existiert nicht oder liegt nicht in Ihrem Bereich.</translation>
    </message>
    <message>
        <source>Vendor administration</source>
        <translation>Verwaltung des Anbieters</translation>
    </message>
    <message>
        <source>Only administrators can add %1 memberships.</source>
        <translation>Nur Administratoren können Mitgliedschaften mit der Rolle %1 hinzufügen.</translation>
    </message>
    <message>
        <source>The %1 role belongs to the vendor and cannot be tied to a reseller portal or client account.</source>
        <translation>Die Rolle %1 gehört zum Anbieter und kann nicht an ein Reseller-Portal oder Kundenkonto gebunden werden.</translation>
    </message>
    <message>
        <source>Choose the reseller portal for the new user.</source>
        <translation>Wählen Sie das Reseller-Portal für den neuen Benutzer.</translation>
    </message>
    <message>
        <source>Choose the client account for the new user.</source>
        <translation>Wählen Sie das Kundenkonto für den neuen Benutzer.</translation>
    </message>
    <message>
        <source>You can add users only to your own reseller portal, with a reseller role.</source>
        <translation>Sie können Benutzer nur zu Ihrem eigenen Reseller-Portal hinzufügen, mit einer Reseller-Rolle.</translation>
    </message>
    <message>
        <source>You can add users only to your own client account, with a client role.</source>
        <translation>Sie können Benutzer nur zu Ihrem eigenen Kundenkonto hinzufügen, mit einer Kundenrolle.</translation>
    </message>
    <message numerus="yes">
        <source>The name may be at most %n characters.</source>
        <translation>
            <numerusform>Der Name darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>Der Name darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
    <message>
        <source>The reseller portal %1 is deactivated; it cannot get new users.</source>
        <translation>Das Reseller-Portal %1 ist deaktiviert und kann keine neuen Benutzer erhalten.</translation>
    </message>
    <message>
        <source>The client account %1 is deactivated; it cannot get new users.</source>
        <translation>Das Kundenkonto %1 ist deaktiviert und kann keine neuen Benutzer erhalten.</translation>
    </message>
    <message>
        <source>The login %1 is archived and cannot get new memberships.</source>
        <translation>Der Zugang %1 ist archiviert und kann keine neuen Mitgliedschaften erhalten.</translation>
    </message>
    <message>
        <source>%1 already has a membership in %2 (as %3). A login has at most one membership per context.</source>
        <translation>%1 hat bereits eine Mitgliedschaft in %2 (als %3). Ein Zugang hat höchstens eine Mitgliedschaft pro Kontext.</translation>
    </message>
    <message>
        <source>%1 already has a deactivated membership in %2 (as %3). Reactivate it instead of adding another one.</source>
        <translation>%1 hat bereits eine deaktivierte Mitgliedschaft in %2 (als %3). Reaktivieren Sie diese, statt eine weitere hinzuzufügen.</translation>
    </message>
    <message>
        <source>Enter the new user&apos;s name.</source>
        <translation>Geben Sie den Namen des neuen Benutzers ein.</translation>
    </message>
    <message>
        <source>%1 already has a membership in %2. A login has at most one membership per context.</source>
        <translation>%1 hat bereits eine Mitgliedschaft in %2. Ein Zugang hat höchstens eine Mitgliedschaft pro Kontext.</translation>
    </message>
    <message>
        <source>A page of users has between 0 and %1 rows; %2 were asked for.</source>
        <translation>Eine Seite mit Benutzern hat zwischen 0 und %1 Zeilen; angefordert wurden %2.</translation>
    </message>
    <message numerus="yes">
        <source>The filter may be at most %n characters; shorten it.</source>
        <translation>
            <numerusform>Der Filter darf höchstens %n Zeichen lang sein; kürzen Sie ihn.</numerusform>
            <numerusform>Der Filter darf höchstens %n Zeichen lang sein; kürzen Sie ihn.</numerusform>
        </translation>
    </message>
    <message>
        <source>Give a reason for deactivating the membership.</source>
        <translation>Geben Sie einen Grund für die Deaktivierung der Mitgliedschaft an.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>You cannot deactivate or reactivate your own membership; another user manager has to do it.</source>
        <translation>Sie können Ihre eigene Mitgliedschaft nicht deaktivieren oder reaktivieren; das muss eine andere Person mit Benutzerverwaltung tun.</translation>
    </message>
    <message>
        <source>This membership has the %1 role, which is higher than yours (%2); you cannot change it.</source>
        <translation>Diese Mitgliedschaft hat die Rolle %1, die höher ist als Ihre (%2); Sie können sie nicht ändern.</translation>
    </message>
    <message>
        <source>The membership was changed by someone else in the meantime. Reload it and make your change again.</source>
        <translation>Die Mitgliedschaft wurde inzwischen von jemand anderem geändert. Laden Sie sie neu und nehmen Sie Ihre Änderung erneut vor.</translation>
    </message>
    <message>
        <source>You cannot change your own role; another user manager has to do it.</source>
        <translation>Sie können Ihre eigene Rolle nicht ändern; das muss eine andere Person mit Benutzerverwaltung tun.</translation>
    </message>
    <message>
        <source>A %1 membership cannot become %2: the new role must belong to the same kind of context (vendor, reseller portal or client account).</source>
        <translation>Eine Mitgliedschaft als %1 kann nicht zu %2 werden: Die neue Rolle muss zur selben Art von Kontext gehören (Anbieter, Reseller-Portal oder Kundenkonto).</translation>
    </message>
    <message>
        <source>You cannot reset your own password here; change it from your own account instead.</source>
        <translation>Sie können Ihr eigenes Passwort hier nicht zurücksetzen; ändern Sie es stattdessen in Ihrem eigenen Konto.</translation>
    </message>
    <message>
        <source>%1 also has the %2 role, which is higher than yours (%3); only someone at that level can reset their password.</source>
        <translation>%1 hat auch die Rolle %2, die höher ist als Ihre (%3); nur jemand auf dieser Ebene kann das Passwort zurücksetzen.</translation>
    </message>
    <message>
        <source>%1 also works in another reseller portal or client account, so only an administrator can reset their password.</source>
        <translation>%1 arbeitet auch in einem anderen Reseller-Portal oder Kundenkonto, daher kann nur ein Administrator das Passwort zurücksetzen.</translation>
    </message>
</context>
<context>
    <name>WriteTransaction</name>
    <message>
        <source>A change is already in progress on this connection.</source>
        <translation>Auf dieser Verbindung läuft bereits eine Änderung.</translation>
    </message>
    <message>
        <source>starting a change</source>
        <translation>Beginnen einer Änderung</translation>
    </message>
    <message>
        <source>The change was already finished.</source>
        <translation>Die Änderung wurde bereits abgeschlossen.</translation>
    </message>
    <message>
        <source>saving the change</source>
        <translation>Speichern der Änderung</translation>
    </message>
    <message>
        <source>undoing the change</source>
        <translation>Rückgängigmachen der Änderung</translation>
    </message>
</context>
<context>
    <name>rd::AboutDialog</name>
    <message>
        <source>About ResellerDesk</source>
        <translation>Über ResellerDesk</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Licensed under the MIT License.</source>
        <translation>Lizenziert unter der MIT-Lizenz.</translation>
    </message>
    <message>
        <source>Library versions</source>
        <translation>Bibliotheksversionen</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>&amp;Copy Version Information</source>
        <translation>Versionsangaben &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the versions as text, for a support request</source>
        <translation>Die Versionen als Text kopieren, für eine Supportanfrage</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>rd::AddCustomerWizard</name>
    <message>
        <source>Add Customer</source>
        <translation>Kunde hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Create customer</source>
        <translation>Kunde &amp;anlegen</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>Kunde anlegen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The customer was not created</source>
        <translation>Der Kunde wurde nicht angelegt</translation>
    </message>
</context>
<context>
    <name>rd::AddUserDialog</name>
    <message>
        <source>Works for the vendor, across every reseller and customer.</source>
        <translation>Arbeitet für den Anbieter, über alle Reseller und Kunden hinweg.</translation>
    </message>
    <message>
        <source>Works in one reseller portal.</source>
        <translation>Arbeitet in einem Reseller-Portal.</translation>
    </message>
    <message>
        <source>Works in one client account.</source>
        <translation>Arbeitet in einem Kundenkonto.</translation>
    </message>
    <message>
        <source>New User</source>
        <translation>Neuer Benutzer</translation>
    </message>
    <message>
        <source>The user signs in with this email address. If it already has a login, that login gets access here too and keeps its name and password.</source>
        <translation>Der Benutzer meldet sich mit dieser E-Mail-Adresse an. Hat sie bereits einen Zugang, erhält dieser Zugang auch hier Zugriff und behält Namen und Passwort.</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Needed when the email has no login yet</source>
        <translation>Nötig, wenn die E-Mail-Adresse noch keinen Zugang hat</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Reseller-Portal</translation>
    </message>
    <message>
        <source>Choose a portal</source>
        <translation>Portal wählen</translation>
    </message>
    <message>
        <source>Client account</source>
        <translation>Kundenkonto</translation>
    </message>
    <message>
        <source>Search client accounts</source>
        <translation>Kundenkonten durchsuchen</translation>
    </message>
    <message>
        <source>Search company, domain, contact or email</source>
        <translation>Firma, Domain, Ansprechpartner oder E-Mail suchen</translation>
    </message>
    <message>
        <source>Matching client accounts</source>
        <translation>Passende Kundenkonten</translation>
    </message>
    <message>
        <source>Send &amp;invitation email</source>
        <translation>Einladungs-E-Mail &amp;senden</translation>
    </message>
    <message>
        <source>&amp;Email address:</source>
        <translation>&amp;E-Mail-Adresse:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>&amp;Add User</source>
        <translation>Benutzer &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Kontext:</translation>
    </message>
    <message>
        <source>Reseller &amp;portal:</source>
        <translation>Reseller-&amp;Portal:</translation>
    </message>
    <message>
        <source>Client account:</source>
        <translation>Kundenkonto:</translation>
    </message>
    <message>
        <source>Client acc&amp;ount:</source>
        <translation>Kunden&amp;konto:</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Direct account; contact %1</source>
        <translation>Direktkunde; Ansprechpartner %1</translation>
    </message>
    <message>
        <source>Reseller %1; contact %2</source>
        <translation>Reseller %1; Ansprechpartner %2</translation>
    </message>
    <message>
        <source>%1 (deactivated)</source>
        <translation>%1 (deaktiviert)</translation>
    </message>
    <message>
        <source>No client account matches.</source>
        <translation>Kein Kundenkonto passt.</translation>
    </message>
    <message>
        <source>Showing %1 of %2 accounts; type more to narrow the list.</source>
        <translation>%1 von %2 Konten werden angezeigt; geben Sie mehr ein, um die Liste einzugrenzen.</translation>
    </message>
    <message>
        <source>1 account matches.</source>
        <translation>1 Konto passt.</translation>
    </message>
    <message numerus="yes">
        <source>%n accounts match.</source>
        <translation>
            <numerusform>%n Konto passt.</numerusform>
            <numerusform>%n Konten passen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your role cannot add users.</source>
        <translation>Ihre Rolle kann keine Benutzer hinzufügen.</translation>
    </message>
    <message>
        <source>Enter the user&apos;s email address.</source>
        <translation>Geben Sie die E-Mail-Adresse des Benutzers ein.</translation>
    </message>
    <message>
        <source>There is no active reseller portal to add the user to.</source>
        <translation>Es gibt kein aktives Reseller-Portal, zu dem der Benutzer hinzugefügt werden könnte.</translation>
    </message>
    <message>
        <source>Choose the reseller portal.</source>
        <translation>Wählen Sie das Reseller-Portal.</translation>
    </message>
    <message>
        <source>Find the client account and choose it in the list.</source>
        <translation>Suchen Sie das Kundenkonto und wählen Sie es in der Liste aus.</translation>
    </message>
    <message>
        <source>A new login gets a one-time code to choose its password.</source>
        <translation>Ein neuer Zugang erhält einen Einmalcode, mit dem er sein Passwort wählt.</translation>
    </message>
    <message>
        <source>Nothing is sent: a new login can sign in after Reset Password.</source>
        <translation>Es wird nichts gesendet: Ein neuer Zugang kann sich nach „Passwort zurücksetzen“ anmelden.</translation>
    </message>
    <message>
        <source>%1 already had a login, so the membership (%2 in %3) was added to the existing login. An email about the new access is queued.</source>
        <translation>%1 hatte bereits einen Zugang, daher wurde die Mitgliedschaft (%2 in %3) zum bestehenden Zugang hinzugefügt. Eine E-Mail über den neuen Zugriff steht im Postausgang.</translation>
    </message>
    <message>
        <source>%1 already had a login, so the membership (%2 in %3) was added to the existing login. No email was sent.</source>
        <translation>%1 hatte bereits einen Zugang, daher wurde die Mitgliedschaft (%2 in %3) zum bestehenden Zugang hinzugefügt. Es wurde keine E-Mail gesendet.</translation>
    </message>
    <message>
        <source>%1 was added as %2 in %3. An invitation with a one-time code is queued.</source>
        <translation>%1 wurde als %2 in %3 hinzugefügt. Eine Einladung mit Einmalcode steht im Postausgang.</translation>
    </message>
    <message>
        <source>%1 was added as %2 in %3. No invitation was sent; use Reset Password when they should sign in.</source>
        <translation>%1 wurde als %2 in %3 hinzugefügt. Es wurde keine Einladung gesendet; verwenden Sie „Passwort zurücksetzen“, wenn sich die Person anmelden soll.</translation>
    </message>
</context>
<context>
    <name>rd::Appearance</name>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Erscheinungsbild</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>The colours the desktop uses</source>
        <translation>Die Farben, die der Desktop verwendet</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>Dark text on light backgrounds</source>
        <translation>Dunkle Schrift auf hellem Hintergrund</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>Light text on dark backgrounds</source>
        <translation>Helle Schrift auf dunklem Hintergrund</translation>
    </message>
</context>
<context>
    <name>rd::AuditEventDialog</name>
    <message>
        <source>Audit Event %1</source>
        <translation>Protokolleintrag %1</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Zeit:</translation>
    </message>
    <message>
        <source>%1 (UTC %2)</source>
        <translation>%1 (UTC %2)</translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation>Akteur:</translation>
    </message>
    <message>
        <source>Login As by:</source>
        <translation>„Anmelden als“ von:</translation>
    </message>
    <message>
        <source>— (not made during Login As)</source>
        <translation>– (nicht während „Anmelden als“ ausgeführt)</translation>
    </message>
    <message>
        <source>%1, viewing as %2 with Login As</source>
        <translation>%1, angemeldet als %2 über „Anmelden als“</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Aktion:</translation>
    </message>
    <message>
        <source>Entity:</source>
        <translation>Objekt:</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Kunde:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Reseller:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>Stapel:</translation>
    </message>
    <message>
        <source>Fields before and after</source>
        <translation>Felder vorher und nachher</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>This event records no field values.</source>
        <translation>Dieser Eintrag enthält keine Feldwerte.</translation>
    </message>
    <message>
        <source>&amp;Fields:</source>
        <translation>&amp;Felder:</translation>
    </message>
</context>
<context>
    <name>rd::AuditLogPage</name>
    <message>
        <source>Any</source>
        <translation>Beliebig</translation>
    </message>
    <message>
        <source>Filter by actor</source>
        <translation>Nach Akteur filtern</translation>
    </message>
    <message>
        <source>Part of a name or email</source>
        <translation>Teil eines Namens oder einer E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Filter by who used Login As</source>
        <translation>Danach filtern, wer „Anmelden als“ verwendet hat</translation>
    </message>
    <message>
        <source>Only &amp;Login As</source>
        <translation>Nur „Anmelden a&amp;ls“</translation>
    </message>
    <message>
        <source>Show only what was done while someone was logged in as a client</source>
        <translation>Nur anzeigen, was getan wurde, während jemand als Kunde angemeldet war</translation>
    </message>
    <message>
        <source>Filter by customer</source>
        <translation>Nach Kunde filtern</translation>
    </message>
    <message>
        <source>Part of the company name</source>
        <translation>Teil des Firmennamens</translation>
    </message>
    <message>
        <source>Filter by reseller</source>
        <translation>Nach Reseller filtern</translation>
    </message>
    <message>
        <source>Filter by action</source>
        <translation>Nach Aktion filtern</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Ab Datum</translation>
    </message>
    <message>
        <source>To date (inclusive)</source>
        <translation>Bis Datum (einschließlich)</translation>
    </message>
    <message>
        <source>Clear F&amp;ilters</source>
        <translation>F&amp;ilter zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Actor:</source>
        <translation>&amp;Akteur:</translation>
    </message>
    <message>
        <source>Login As &amp;by:</source>
        <translation>„Anmelden als“ &amp;von:</translation>
    </message>
    <message>
        <source>C&amp;ustomer:</source>
        <translation>&amp;Kunde:</translation>
    </message>
    <message>
        <source>&amp;Reseller:</source>
        <translation>&amp;Reseller:</translation>
    </message>
    <message>
        <source>Actio&amp;n:</source>
        <translation>Aktio&amp;n:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>Vo&amp;m:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>Protokolleinträge</translation>
    </message>
    <message>
        <source>Login As sessions</source>
        <translation>Anmelden-als-Sitzungen</translation>
    </message>
    <message>
        <source>Even&amp;ts</source>
        <translation>Ein&amp;träge</translation>
    </message>
    <message>
        <source>Login As &amp;Sessions</source>
        <translation>Anmelden-als-&amp;Sitzungen</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Write every event that matches the filters to a CSV file</source>
        <translation>Alle Einträge, die den Filtern entsprechen, in eine CSV-Datei schreiben</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Akt&amp;ualisieren</translation>
    </message>
    <message>
        <source>Load the audit log again</source>
        <translation>Das Prüfprotokoll neu laden</translation>
    </message>
    <message>
        <source>Any reseller</source>
        <translation>Jeder Reseller</translation>
    </message>
    <message>
        <source>Any action</source>
        <translation>Jede Aktion</translation>
    </message>
    <message>
        <source>No event matches</source>
        <translation>Kein Eintrag passt</translation>
    </message>
    <message>
        <source>No Login As session matches</source>
        <translation>Keine Anmelden-als-Sitzung passt</translation>
    </message>
    <message>
        <source>Events: %1</source>
        <translation>Einträge: %1</translation>
    </message>
    <message>
        <source>Sessions: %1</source>
        <translation>Sitzungen: %1</translation>
    </message>
    <message>
        <source>Audit Event</source>
        <translation>Protokolleintrag</translation>
    </message>
    <message>
        <source>Export Audit Log</source>
        <translation>Prüfprotokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The file %1 could not be created: %2</source>
        <translation>Die Datei %1 konnte nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>The file %1 could not be saved: %2</source>
        <translation>Die Datei %1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Exported events: %1, to %2</source>
        <translation>Exportierte Einträge: %1, nach %2</translation>
    </message>
</context>
<context>
    <name>rd::AuditTableModel</name>
    <message>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Made by %1 while %2 was logged in as them (Login As)</source>
        <translation>Ausgeführt von %1, während %2 als diese Person angemeldet war („Anmelden als“)</translation>
    </message>
    <message>
        <source>Login As: %1</source>
        <translation>„Anmelden als“: %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Login As by</source>
        <translation>„Anmelden als“ von</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>rd::ChangeNotifier</name>
    <message>
        <source>Changes made on other desktops cannot be followed: the database&apos;s change counter cannot be read. Use View ▸ Refresh to see them.</source>
        <translation>Änderungen an anderen Arbeitsplätzen können nicht verfolgt werden: Der Änderungszähler der Datenbank kann nicht gelesen werden. Verwenden Sie Ansicht ▸ Aktualisieren, um sie zu sehen.</translation>
    </message>
    <message>
        <source>Changes made on other desktops cannot be followed: the database driver does not deliver notifications. Use View ▸ Refresh to see them.</source>
        <translation>Änderungen an anderen Arbeitsplätzen können nicht verfolgt werden: Der Datenbanktreiber liefert keine Benachrichtigungen. Verwenden Sie Ansicht ▸ Aktualisieren, um sie zu sehen.</translation>
    </message>
    <message>
        <source>Changes made on other desktops cannot be followed: the server refused to send notifications. Use View ▸ Refresh to see them.</source>
        <translation>Änderungen an anderen Arbeitsplätzen können nicht verfolgt werden: Der Server hat das Senden von Benachrichtigungen verweigert. Verwenden Sie Ansicht ▸ Aktualisieren, um sie zu sehen.</translation>
    </message>
    <message>
        <source>The connection to the database server was lost: changes made on other desktops are no longer shown. Sign in again to reconnect.</source>
        <translation>Die Verbindung zum Datenbankserver wurde unterbrochen: Änderungen an anderen Arbeitsplätzen werden nicht mehr angezeigt. Melden Sie sich erneut an, um die Verbindung wiederherzustellen.</translation>
    </message>
</context>
<context>
    <name>rd::ChangePasswordDialog</name>
    <message>
        <source>Choose your password</source>
        <translation>Passwort wählen</translation>
    </message>
    <message>
        <source>You need a new password, for example because you signed in with a temporary one. Choose a password only you know; you sign in with it from now on.</source>
        <translation>Sie brauchen ein neues Passwort, zum Beispiel weil Sie sich mit einem temporären angemeldet haben. Wählen Sie ein Passwort, das nur Sie kennen; Sie melden sich ab jetzt damit an.</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>Mindestens %n Zeichen</numerusform>
            <numerusform>Mindestens %n Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>Confirm new password</source>
        <translation>Neues Passwort bestätigen</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Neues Passwort:</translation>
    </message>
    <message>
        <source>&amp;Confirm:</source>
        <translation>&amp;Bestätigen:</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Was fehlt</translation>
    </message>
    <message>
        <source>&amp;Set password</source>
        <translation>Passwort &amp;festlegen</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>Das neue Passwort festlegen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Change your password</source>
        <translation>Passwort ändern</translation>
    </message>
    <message>
        <source>Enter the password you sign in with now, then the new one twice.</source>
        <translation>Geben Sie das Passwort ein, mit dem Sie sich jetzt anmelden, dann zweimal das neue.</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Aktuelles Passwort</translation>
    </message>
    <message>
        <source>C&amp;urrent password:</source>
        <translation>Akt&amp;uelles Passwort:</translation>
    </message>
    <message>
        <source>Enter your current password.</source>
        <translation>Geben Sie Ihr aktuelles Passwort ein.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>rd::ChangeRoleDialog</name>
    <message>
        <source>Change Role</source>
        <translation>Rolle ändern</translation>
    </message>
    <message>
        <source>New role</source>
        <translation>Neue Rolle</translation>
    </message>
    <message>
        <source>&amp;New role:</source>
        <translation>&amp;Neue Rolle:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Kontext:</translation>
    </message>
    <message>
        <source>Current role:</source>
        <translation>Aktuelle Rolle:</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>You cannot give this membership another role.</source>
        <translation>Sie können dieser Mitgliedschaft keine andere Rolle geben.</translation>
    </message>
    <message>
        <source>Choose a role other than the current one.</source>
        <translation>Wählen Sie eine andere als die aktuelle Rolle.</translation>
    </message>
    <message>
        <source>The membership is no longer in your list; someone may have archived it.</source>
        <translation>Die Mitgliedschaft ist nicht mehr in Ihrer Liste; möglicherweise hat jemand sie archiviert.</translation>
    </message>
</context>
<context>
    <name>rd::ClientWindow</name>
    <message>
        <source>Trial</source>
        <translation>Testphase</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Testphase abgelaufen</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>%1 viewing as %2</source>
        <translation>%1, angemeldet als %2</translation>
    </message>
    <message>
        <source>Signed in as %1 — %2</source>
        <translation>Angemeldet als %1 — %2</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Plan and trial</source>
        <translation>Tarif und Testphase</translation>
    </message>
    <message>
        <source>Identifications this month</source>
        <translation>Identifikationen in diesem Monat</translation>
    </message>
    <message>
        <source>Identification budget used</source>
        <translation>Genutztes Identifikationskontingent</translation>
    </message>
    <message>
        <source>Account settings</source>
        <translation>Kontoeinstellungen</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Name des Ansprechpartners</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>Telefon des Ansprechpartners</translation>
    </message>
    <message>
        <source>+49 30 1234567</source>
        <translation>+49 30 1234567</translation>
    </message>
    <message>
        <source>With the country code, e.g. +49 30 1234567</source>
        <translation>Mit Ländervorwahl, z. B. +49 30 1234567</translation>
    </message>
    <message>
        <source>No notification emails (trial reminders, notices)</source>
        <translation>Keine Benachrichtigungs-E-Mails (Testphasen-Erinnerungen, Hinweise)</translation>
    </message>
    <message>
        <source>No notification emails</source>
        <translation>Keine Benachrichtigungs-E-Mails</translation>
    </message>
    <message>
        <source>Why the settings were not saved</source>
        <translation>Warum die Einstellungen nicht gespeichert wurden</translation>
    </message>
    <message>
        <source>Why the settings cannot be changed</source>
        <translation>Warum die Einstellungen nicht geändert werden können</translation>
    </message>
    <message>
        <source>&amp;Save Settings</source>
        <translation>Einstellungen &amp;speichern</translation>
    </message>
    <message>
        <source>Contact &amp;name:</source>
        <translation>&amp;Name des Ansprechpartners:</translation>
    </message>
    <message>
        <source>Contact &amp;phone:</source>
        <translation>&amp;Telefon des Ansprechpartners:</translation>
    </message>
    <message>
        <source>Login email:</source>
        <translation>Login-E-Mail:</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Users of the account</source>
        <translation>Benutzer des Kontos</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Letzte Anmeldung</translation>
    </message>
    <message>
        <source>Recent orders</source>
        <translation>Letzte Bestellungen</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>No orders yet.</source>
        <translation>Noch keine Bestellungen.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Change &amp;Password…</source>
        <translation>&amp;Passwort ändern…</translation>
    </message>
    <message>
        <source>Not available during Login As</source>
        <translation>Während „Anmelden als“ nicht verfügbar</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>Sign out and sign in as another user</source>
        <translation>Abmelden und als anderer Benutzer anmelden</translation>
    </message>
    <message>
        <source>&amp;Close Client View</source>
        <translation>Kundenansicht s&amp;chließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About ResellerDesk</source>
        <translation>&amp;Über ResellerDesk</translation>
    </message>
    <message>
        <source>The account cannot be shown: %1</source>
        <translation>Das Konto kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>Viewing %1 (Login As) — ResellerDesk</source>
        <translation>Ansicht von %1 („Anmelden als“) — ResellerDesk</translation>
    </message>
    <message>
        <source>ResellerDesk — %1</source>
        <translation>ResellerDesk — %1</translation>
    </message>
    <message>
        <source>Viewing %1 as %2 (Login As) — ResellerDesk</source>
        <translation>Ansicht von %1 als %2 („Anmelden als“) — ResellerDesk</translation>
    </message>
    <message>
        <source>%1 — ResellerDesk</source>
        <translation>%1 — ResellerDesk</translation>
    </message>
    <message>
        <source>⚠ This account is deactivated. Its users cannot work with it until the reseller activates it again.</source>
        <translation>⚠ Dieses Konto ist deaktiviert. Seine Benutzer können nicht damit arbeiten, bis der Reseller es wieder aktiviert.</translation>
    </message>
    <message>
        <source>Plan: %1</source>
        <translation>Tarif: %1</translation>
    </message>
    <message>
        <source>Plan: %1 — %2</source>
        <translation>Tarif: %1 — %2</translation>
    </message>
    <message>
        <source>Paid account</source>
        <translation>Zahlendes Konto</translation>
    </message>
    <message>
        <source>Trial expired on %1</source>
        <translation>Testphase am %1 abgelaufen</translation>
    </message>
    <message>
        <source>Trial — 1 day left</source>
        <translation>Testphase – noch 1 Tag</translation>
    </message>
    <message>
        <source>Trial — %1 days left</source>
        <translation>Testphase – noch %1 Tage</translation>
    </message>
    <message>
        <source>ends %1</source>
        <translation>endet am %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 of %2 identifications used in %3</source>
        <translation>%1 von %2 Identifikationen im %3 genutzt</translation>
    </message>
    <message>
        <source>Over budget by %1.</source>
        <translation>Kontingent um %1 überschritten.</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>Aufgegeben</translation>
    </message>
    <message>
        <source>Your settings are saved.</source>
        <translation>Ihre Einstellungen sind gespeichert.</translation>
    </message>
    <message>
        <source>Reload shows the saved settings; your changes are discarded.</source>
        <translation>„Neu laden“ zeigt die gespeicherten Einstellungen; Ihre Änderungen werden verworfen.</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>Ihr Passwort wurde geändert.</translation>
    </message>
    <message>
        <source>Your account at a glance: plan, trial, identification budget, users and orders.</source>
        <translation>Ihr Konto auf einen Blick: Tarif, Testphase, Identifikationskontingent, Benutzer und Bestellungen.</translation>
    </message>
</context>
<context>
    <name>rd::CloneCustomersDialog</name>
    <message>
        <source>Clone customers to a reseller</source>
        <translation>Kunden zu einem Reseller klonen</translation>
    </message>
    <message>
        <source>Customers to clone</source>
        <translation>Zu klonende Kunden</translation>
    </message>
    <message>
        <source>C&amp;ustomers:</source>
        <translation>K&amp;unden:</translation>
    </message>
    <message>
        <source>Target reseller</source>
        <translation>Ziel-Reseller</translation>
    </message>
    <message>
        <source>Choose a reseller</source>
        <translation>Reseller wählen</translation>
    </message>
    <message>
        <source>Problem with the target reseller</source>
        <translation>Problem mit dem Ziel-Reseller</translation>
    </message>
    <message>
        <source>&amp;End current assignments (hand ownership over)</source>
        <translation>&amp;Bisherige Zuordnungen beenden (Eigentum übergeben)</translation>
    </message>
    <message>
        <source>End current assignments</source>
        <translation>Bisherige Zuordnungen beenden</translation>
    </message>
    <message>
        <source>Checked, the target becomes each customer&apos;s only reseller and owner; the ended assignments stay in the history with their dates, and customers whose plan the target does not offer are skipped. Unchecked, the target is added as an additional reseller and the current owner stays.</source>
        <translation>Wenn aktiviert, wird das Ziel der einzige Reseller und Eigentümer jedes Kunden; die beendeten Zuordnungen bleiben mit ihren Daten im Verlauf, und Kunden, deren Tarif das Ziel nicht anbietet, werden übersprungen. Wenn deaktiviert, wird das Ziel als zusätzlicher Reseller hinzugefügt und der bisherige Eigentümer bleibt.</translation>
    </message>
    <message>
        <source>&amp;Keep each customer&apos;s price list</source>
        <translation>Preisliste jedes Kunden be&amp;halten</translation>
    </message>
    <message>
        <source>Keep each customer&apos;s price list</source>
        <translation>Preisliste jedes Kunden behalten</translation>
    </message>
    <message>
        <source>&amp;Switch to the target&apos;s price list</source>
        <translation>Zur Preisliste des Ziels &amp;wechseln</translation>
    </message>
    <message>
        <source>Switch to the target&apos;s price list</source>
        <translation>Zur Preisliste des Ziels wechseln</translation>
    </message>
    <message>
        <source>About the price list</source>
        <translation>Hinweis zur Preisliste</translation>
    </message>
    <message>
        <source>&amp;Target reseller:</source>
        <translation>&amp;Ziel-Reseller:</translation>
    </message>
    <message>
        <source>Ownership:</source>
        <translation>Eigentum:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Preisliste:</translation>
    </message>
    <message>
        <source>Why Clone is not available</source>
        <translation>Warum Klonen nicht verfügbar ist</translation>
    </message>
    <message>
        <source>&amp;Clone</source>
        <translation>&amp;Klonen</translation>
    </message>
    <message>
        <source>Clone the customers</source>
        <translation>Die Kunden klonen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Outcome per customer</source>
        <translation>Ergebnis pro Kunde</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Close the report</source>
        <translation>Bericht schließen</translation>
    </message>
    <message>
        <source>Select at least one customer to clone.</source>
        <translation>Wählen Sie mindestens einen Kunden zum Klonen aus.</translation>
    </message>
    <message numerus="yes">
        <source>Clone %n customer(s) to another reseller. Customers that cannot be cloned are skipped and listed afterwards.</source>
        <translation>
            <numerusform>%n Kunden zu einem anderen Reseller klonen. Kunden, die nicht geklont werden können, werden übersprungen und anschließend aufgelistet.</numerusform>
            <numerusform>%n Kunden zu einem anderen Reseller klonen. Kunden, die nicht geklont werden können, werden übersprungen und anschließend aufgelistet.</numerusform>
        </translation>
    </message>
    <message>
        <source>direct account</source>
        <translation>Direktkunde</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2, %3</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation> (inaktiv)</translation>
    </message>
    <message>
        <source>Switching needs &quot;End current assignments&quot;: the price list goes with the owner.</source>
        <translation>Zum Wechseln muss „Bisherige Zuordnungen beenden“ aktiviert sein: Die Preisliste hängt am Eigentümer.</translation>
    </message>
    <message>
        <source>%1 prices its customers on %2.</source>
        <translation>%1 rechnet seine Kunden nach %2 ab.</translation>
    </message>
    <message>
        <source>%1 prices its customers on the default list, %2.</source>
        <translation>%1 rechnet seine Kunden nach der Standardliste %2 ab.</translation>
    </message>
    <message>
        <source>%1 prices its customers on the default list.</source>
        <translation>%1 rechnet seine Kunden nach der Standardliste ab.</translation>
    </message>
    <message>
        <source>None of the selected customers exists any more.</source>
        <translation>Keiner der ausgewählten Kunden existiert mehr.</translation>
    </message>
    <message>
        <source>There is no active reseller to clone to.</source>
        <translation>Es gibt keinen aktiven Reseller, zu dem geklont werden kann.</translation>
    </message>
    <message>
        <source>Choose the target reseller.</source>
        <translation>Wählen Sie den Ziel-Reseller.</translation>
    </message>
    <message>
        <source>Clone customers</source>
        <translation>Kunden klonen</translation>
    </message>
    <message>
        <source>Customer #%1</source>
        <translation>Kunde #%1</translation>
    </message>
    <message>
        <source>Cloned</source>
        <translation>Geklont</translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>Übersprungen: %1</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) cloned to %1.</source>
        <translation>
            <numerusform>%n Kunde zu %1 geklont.</numerusform>
            <numerusform>%n Kunden zu %1 geklont.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped, as listed below.</source>
        <translation>
            <numerusform>%n übersprungen, wie unten aufgeführt.</numerusform>
            <numerusform>%n übersprungen, wie unten aufgeführt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::CompanyPage</name>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>The client account&apos;s company and its website.</source>
        <translation>Firma und Website des Kundenkontos.</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>Firmenname</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <source>Website domain</source>
        <translation>Website-Domain</translation>
    </message>
    <message>
        <source>Optional, like example.com</source>
        <translation>Optional, z. B. example.com</translation>
    </message>
    <message>
        <source>&amp;Use this domain anyway</source>
        <translation>Diese Domain &amp;trotzdem verwenden</translation>
    </message>
    <message>
        <source>Use this domain anyway</source>
        <translation>Diese Domain trotzdem verwenden</translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation>&amp;Firmenname:</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>&amp;Website:</translation>
    </message>
    <message>
        <source>Saved as: %1</source>
        <translation>Gespeichert als: %1</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Gespeichert als: %1 (%2)</translation>
    </message>
    <message>
        <source>Another customer already uses the domain %1. Make sure this is not a customer that exists already.</source>
        <translation>Ein anderer Kunde verwendet bereits die Domain %1. Stellen Sie sicher, dass es diesen Kunden nicht schon gibt.</translation>
    </message>
    <message numerus="yes">
        <source>%n other customers already use the domain %1. Make sure this is not a customer that exists already.</source>
        <translation>
            <numerusform>%n anderer Kunde verwendet bereits die Domain %1. Stellen Sie sicher, dass es diesen Kunden nicht schon gibt.</numerusform>
            <numerusform>%n andere Kunden verwenden bereits die Domain %1. Stellen Sie sicher, dass es diesen Kunden nicht schon gibt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Geben Sie den Firmennamen ein.</translation>
    </message>
    <message>
        <source>The company name</source>
        <translation>Der Firmenname</translation>
    </message>
</context>
<context>
    <name>rd::ConflictBanner</name>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
</context>
<context>
    <name>rd::ConnectionDialog</name>
    <message>
        <source>Open database</source>
        <translation>Datenbank öffnen</translation>
    </message>
    <message>
        <source>Where is the ResellerDesk database?</source>
        <translation>Wo ist die ResellerDesk-Datenbank?</translation>
    </message>
    <message>
        <source>Recent connections</source>
        <translation>Letzte Verbindungen</translation>
    </message>
    <message>
        <source>&amp;SQLite file on this computer</source>
        <translation>&amp;SQLite-Datei auf diesem Computer</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>SQLite-Datei</translation>
    </message>
    <message>
        <source>SQLite file path</source>
        <translation>Pfad der SQLite-Datei</translation>
    </message>
    <message>
        <source>Path of a new or existing file</source>
        <translation>Pfad einer neuen oder vorhandenen Datei</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Durchs&amp;uchen…</translation>
    </message>
    <message>
        <source>Browse for the SQLite file</source>
        <translation>Nach der SQLite-Datei suchen</translation>
    </message>
    <message>
        <source>&amp;PostgreSQL server, shared by your team</source>
        <translation>&amp;PostgreSQL-Server, gemeinsam mit Ihrem Team genutzt</translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation>PostgreSQL-Server</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>R&amp;emember the password in the system keychain</source>
        <translation>Passwort im System-Schlüsselbund &amp;merken</translation>
    </message>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>Passwort im System-Schlüsselbund merken</translation>
    </message>
    <message>
        <source>About the keychain</source>
        <translation>Hinweis zum Schlüsselbund</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Was fehlt</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open the database</source>
        <translation>Die Datenbank öffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>B&amp;enutzer:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>%1
The password cannot be remembered: type it each time you open the database.</source>
        <translation>%1
Das Passwort kann nicht gespeichert werden: Geben Sie es bei jedem Öffnen der Datenbank ein.</translation>
    </message>
    <message>
        <source>Enter the path of the SQLite file, or choose one with Browse….</source>
        <translation>Geben Sie den Pfad der SQLite-Datei ein oder wählen Sie eine mit „Durchsuchen…“.</translation>
    </message>
    <message>
        <source>Enter the PostgreSQL server&apos;s host name, such as localhost.</source>
        <translation>Geben Sie den Hostnamen des PostgreSQL-Servers ein, z. B. localhost.</translation>
    </message>
    <message>
        <source>“%1” is not a valid host name.</source>
        <translation>„%1“ ist kein gültiger Hostname.</translation>
    </message>
    <message>
        <source>Enter the name of the database.</source>
        <translation>Geben Sie den Namen der Datenbank ein.</translation>
    </message>
    <message>
        <source>A database name cannot contain “/”.</source>
        <translation>Ein Datenbankname darf kein „/“ enthalten.</translation>
    </message>
    <message>
        <source>Enter the PostgreSQL user name.</source>
        <translation>Geben Sie den PostgreSQL-Benutzernamen ein.</translation>
    </message>
    <message>
        <source>Choose a recent connection…</source>
        <translation>Letzte Verbindung wählen…</translation>
    </message>
    <message>
        <source>PostgreSQL: %1@%2:%3/%4</source>
        <translation>PostgreSQL: %1@%2:%3/%4</translation>
    </message>
    <message>
        <source>SQLite: %1</source>
        <translation>SQLite: %1</translation>
    </message>
    <message>
        <source>Choose the SQLite file</source>
        <translation>SQLite-Datei wählen</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db)</source>
        <translation>SQLite-Datenbanken (*.sqlite *.db)</translation>
    </message>
</context>
<context>
    <name>rd::ContactPage</name>
    <message>
        <source>Contact</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>The contact&apos;s email address becomes the client&apos;s login.</source>
        <translation>Die E-Mail-Adresse des Ansprechpartners wird der Login des Kunden.</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Name des Ansprechpartners</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Required, like name@example.com</source>
        <translation>Erforderlich, z. B. name@example.com</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>Region for numbers without a country code</source>
        <translation>Region für Nummern ohne Ländervorwahl</translation>
    </message>
    <message>
        <source>Numbers typed without + and a country code are read as numbers of this region.</source>
        <translation>Nummern, die ohne + und Ländervorwahl eingegeben werden, gelten als Nummern dieser Region.</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <source>&amp;Contact name:</source>
        <translation>&amp;Name des Ansprechpartners:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Gespeichert als: %1 (%2)</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Geben Sie den Namen des Ansprechpartners ein.</translation>
    </message>
    <message>
        <source>The contact&apos;s name</source>
        <translation>Der Name des Ansprechpartners</translation>
    </message>
</context>
<context>
    <name>rd::ConvertTrialDialog</name>
    <message>
        <source>Convert trial to paid</source>
        <translation>Testphase in zahlendes Konto umwandeln</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Tarif:</translation>
    </message>
    <message>
        <source>Monthly budget:</source>
        <translation>Monatskontingent:</translation>
    </message>
    <message>
        <source>Price:</source>
        <translation>Preis:</translation>
    </message>
    <message>
        <source>Trial:</source>
        <translation>Testphase:</translation>
    </message>
    <message>
        <source>Con&amp;vert to paid</source>
        <translation>In zahlendes Konto &amp;umwandeln</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Der Kunde konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <source>%1 a month on the price list %2</source>
        <translation>%1 pro Monat laut Preisliste %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s) a month (the trial has %1)</source>
        <translation>
            <numerusform>%Ln Identifikation pro Monat (die Testphase hat %1)</numerusform>
            <numerusform>%Ln Identifikationen pro Monat (die Testphase hat %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s) a month</source>
        <translation>
            <numerusform>%Ln Identifikation pro Monat</numerusform>
            <numerusform>%Ln Identifikationen pro Monat</numerusform>
        </translation>
    </message>
    <message>
        <source>Converted to paid on %1</source>
        <translation>Am %1 in ein zahlendes Konto umgewandelt</translation>
    </message>
    <message>
        <source>Paid account</source>
        <translation>Zahlendes Konto</translation>
    </message>
    <message>
        <source>Expired on %1</source>
        <translation>Am %1 abgelaufen</translation>
    </message>
    <message numerus="yes">
        <source>Ends on %1 (%n day(s) left)</source>
        <translation>
            <numerusform>Endet am %1 (noch %n Tag)</numerusform>
            <numerusform>Endet am %1 (noch %n Tage)</numerusform>
        </translation>
    </message>
    <message>
        <source>Converting %1 to a paid account ends the trial: the plan&apos;s full monthly budget applies from now on, and the trial reminder is cancelled.</source>
        <translation>Wenn Sie %1 in ein zahlendes Konto umwandeln, endet die Testphase: Ab sofort gilt das volle Monatskontingent des Tarifs, und die Erinnerung an das Ende der Testphase wird storniert.</translation>
    </message>
    <message>
        <source>The account is inactive; converting reactivates it.</source>
        <translation>Das Konto ist inaktiv; durch die Umwandlung wird es wieder aktiviert.</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Your role cannot convert trials.</source>
        <translation>Ihre Rolle kann keine Testphasen umwandeln.</translation>
    </message>
    <message>
        <source>Reload the customer before converting.</source>
        <translation>Laden Sie den Kunden vor dem Umwandeln neu.</translation>
    </message>
    <message>
        <source>%1 is already a paid account.</source>
        <translation>%1 ist bereits ein zahlendes Konto.</translation>
    </message>
    <message>
        <source>Reload shows the customer as it is saved now.</source>
        <translation>„Neu laden“ zeigt den Kunden, wie er jetzt gespeichert ist.</translation>
    </message>
</context>
<context>
    <name>rd::CustomerDetailPanel</name>
    <message>
        <source>Customer details</source>
        <translation>Kundendetails</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the details (Esc)</source>
        <translation>Details schließen (Esc)</translation>
    </message>
    <message>
        <source>Close the customer details</source>
        <translation>Kundendetails schließen</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Durch</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Ended by</source>
        <translation>Beendet durch</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Zuordnungen</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Letzte Anmeldung</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Before and after of the selected event</source>
        <translation>Vorher und nachher beim ausgewählten Eintrag</translation>
    </message>
    <message>
        <source>Select an event to see what it changed.</source>
        <translation>Wählen Sie einen Eintrag aus, um zu sehen, was er geändert hat.</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Login As…</source>
        <translation>Anmelden als…</translation>
    </message>
    <message>
        <source>See this customer&apos;s own view, as one of its client users (audited, time-limited)</source>
        <translation>Die eigene Ansicht dieses Kunden sehen, als einer seiner Kundenbenutzer (protokolliert, zeitlich begrenzt)</translation>
    </message>
    <message>
        <source>Login As this customer</source>
        <translation>Als dieser Kunde anmelden</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Website:</source>
        <translation>Website:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>Ansprechpartner:</translation>
    </message>
    <message>
        <source>Email (login):</source>
        <translation>E-Mail (Login):</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Telefon:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Reseller:</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Direktkunde (kein Reseller)</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Tarif:</translation>
    </message>
    <message>
        <source>%1 (%2 identifications a month)</source>
        <translation>%1 (%2 Identifikationen pro Monat)</translation>
    </message>
    <message>
        <source>%1 — %2 a month</source>
        <translation>%1 — %2 pro Monat</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Preisliste:</translation>
    </message>
    <message>
        <source>Trial ends:</source>
        <translation>Testphase endet:</translation>
    </message>
    <message>
        <source>Trial budget:</source>
        <translation>Testkontingent:</translation>
    </message>
    <message>
        <source>Paid since:</source>
        <translation>Bezahlt seit:</translation>
    </message>
    <message>
        <source>Emails:</source>
        <translation>E-Mails:</translation>
    </message>
    <message>
        <source>None (the “no email” flag is set)</source>
        <translation>Keine (die Markierung „Keine E-Mails“ ist gesetzt)</translation>
    </message>
    <message>
        <source>Sent as usual</source>
        <translation>Werden wie üblich gesendet</translation>
    </message>
    <message>
        <source>Setup:</source>
        <translation>Einrichtung:</translation>
    </message>
    <message>
        <source>The client has not chosen a password yet</source>
        <translation>Der Kunde hat noch kein Passwort gewählt</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Angelegt:</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Additional</source>
        <translation>Zusätzlich</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>the system</source>
        <translation>das System</translation>
    </message>
    <message>
        <source>%1 (Login As by %2)</source>
        <translation>%1 („Anmelden als“ von %2)</translation>
    </message>
    <message>
        <source>Before:</source>
        <translation>Vorher:</translation>
    </message>
    <message>
        <source>After:</source>
        <translation>Nachher:</translation>
    </message>
</context>
<context>
    <name>rd::CustomerTableModel</name>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Testphase abgelaufen</translation>
    </message>
    <message>
        <source>Trial, 1 day left</source>
        <translation>Testphase, noch 1 Tag</translation>
    </message>
    <message>
        <source>Trial, %1 days left</source>
        <translation>Testphase, noch %1 Tage</translation>
    </message>
    <message>
        <source>Direct account</source>
        <translation>Direktkunde</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Also assigned to</source>
        <translation>Auch zugeordnet zu</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Preisliste</translation>
    </message>
    <message>
        <source>Identifications / month</source>
        <translation>Identifikationen/Monat</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
</context>
<context>
    <name>rd::CustomersPage</name>
    <message>
        <source>Search customers</source>
        <translation>Kunden suchen</translation>
    </message>
    <message>
        <source>Search company, domain, contact or email</source>
        <translation>Firma, Domain, Ansprechpartner oder E-Mail suchen</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Filter by reseller</source>
        <translation>Nach Reseller filtern</translation>
    </message>
    <message>
        <source>All resellers</source>
        <translation>Alle Reseller</translation>
    </message>
    <message>
        <source>Direct accounts</source>
        <translation>Direktkunden</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Nach Status filtern</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>On trial</source>
        <translation>In der Testphase</translation>
    </message>
    <message>
        <source>Trial expired</source>
        <translation>Testphase abgelaufen</translation>
    </message>
    <message>
        <source>Active (paid)</source>
        <translation>Aktiv (bezahlt)</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>Filter by plan</source>
        <translation>Nach Tarif filtern</translation>
    </message>
    <message>
        <source>Any plan</source>
        <translation>Jeder Tarif</translation>
    </message>
    <message>
        <source>&amp;New Customer…</source>
        <translation>&amp;Neuer Kunde…</translation>
    </message>
    <message>
        <source>Add a customer with the Add Customer wizard</source>
        <translation>Einen Kunden mit dem Assistenten „Kunde hinzufügen“ anlegen</translation>
    </message>
    <message>
        <source>&amp;Import from CSV…</source>
        <translation>Aus CSV &amp;importieren…</translation>
    </message>
    <message>
        <source>Add many customers at once from a CSV file</source>
        <translation>Viele Kunden auf einmal aus einer CSV-Datei hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Open Details</source>
        <translation>&amp;Details öffnen</translation>
    </message>
    <message>
        <source>&amp;Edit Customer…</source>
        <translation>Kunde &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Convert Trial to Paid…</source>
        <translation>Testphase in zahlendes Konto &amp;umwandeln…</translation>
    </message>
    <message>
        <source>E&amp;xtend Trial…</source>
        <translation>Testphase &amp;verlängern…</translation>
    </message>
    <message>
        <source>Raise Trial &amp;Budget…</source>
        <translation>Test&amp;kontingent erhöhen…</translation>
    </message>
    <message>
        <source>Resend &amp;Setup Email</source>
        <translation>&amp;Einrichtungs-E-Mail erneut senden</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>Deak&amp;tivieren…</translation>
    </message>
    <message>
        <source>Re&amp;activate…</source>
        <translation>&amp;Reaktivieren…</translation>
    </message>
    <message>
        <source>A&amp;rchive…</source>
        <translation>&amp;Archivieren…</translation>
    </message>
    <message>
        <source>&amp;Login As…</source>
        <translation>An&amp;melden als…</translation>
    </message>
    <message>
        <source>See this customer&apos;s own view, as one of its client users (audited)</source>
        <translation>Die eigene Ansicht dieses Kunden sehen, als einer seiner Kundenbenutzer (protokolliert)</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>Ver&amp;schieben…</translation>
    </message>
    <message>
        <source>C&amp;lone to Reseller…</source>
        <translation>Zu Reseller k&amp;lonen…</translation>
    </message>
    <message>
        <source>M&amp;igrate to Reseller…</source>
        <translation>Zu Reseller mi&amp;grieren…</translation>
    </message>
    <message>
        <source>Ex&amp;port…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Save the customers of this view, as filtered and sorted, to a CSV or Excel file</source>
        <translation>Die Kunden dieser Ansicht, so gefiltert und sortiert, in eine CSV- oder Excel-Datei speichern</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Spalten</translation>
    </message>
    <message>
        <source>No customer matches</source>
        <translation>Kein Kunde passt</translation>
    </message>
    <message>
        <source>No customers yet — add one with New Customer</source>
        <translation>Noch keine Kunden – fügen Sie einen mit „Neuer Kunde“ hinzu</translation>
    </message>
    <message>
        <source>No customers yet</source>
        <translation>Noch keine Kunden</translation>
    </message>
    <message>
        <source>1 customer</source>
        <translation>1 Kunde</translation>
    </message>
    <message>
        <source>%1 customers</source>
        <translation>%1 Kunden</translation>
    </message>
    <message>
        <source>Customer added.</source>
        <translation>Kunde hinzugefügt.</translation>
    </message>
    <message>
        <source>Customer added. %1</source>
        <translation>Kunde hinzugefügt. %1</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n Kunde importiert.</numerusform>
            <numerusform>%n Kunden importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Trial converted to a paid account.</source>
        <translation>Testphase in ein zahlendes Konto umgewandelt.</translation>
    </message>
    <message>
        <source>Resend Setup Email</source>
        <translation>Einrichtungs-E-Mail erneut senden</translation>
    </message>
    <message>
        <source>A new setup email for %1 is queued to %2.</source>
        <translation>Eine neue Einrichtungs-E-Mail für %1 an %2 steht im Postausgang.</translation>
    </message>
    <message>
        <source>Reactivate Customer</source>
        <translation>Kunde reaktivieren</translation>
    </message>
    <message>
        <source>Reactivate %1? Its users can sign in again and its trial reminders resume.</source>
        <translation>%1 reaktivieren? Seine Benutzer können sich wieder anmelden, und die Erinnerungen an das Ende der Testphase werden fortgesetzt.</translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation>&amp;Reaktivieren</translation>
    </message>
    <message>
        <source>Deactivate Customer</source>
        <translation>Kunde deaktivieren</translation>
    </message>
    <message>
        <source>Deactivate %1? Its users can no longer sign in. Nothing is deleted; you can reactivate it later.</source>
        <translation>%1 deaktivieren? Seine Benutzer können sich nicht mehr anmelden. Es wird nichts gelöscht; Sie können den Kunden später reaktivieren.</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>Archive Customer</source>
        <translation>Kunde archivieren</translation>
    </message>
    <message>
        <source>Archive %1? It disappears from the lists and its users can no longer sign in. Its history and audit trail are kept.</source>
        <translation>%1 archivieren? Der Kunde verschwindet aus den Listen, und seine Benutzer können sich nicht mehr anmelden. Sein Verlauf und sein Prüfprotokoll bleiben erhalten.</translation>
    </message>
    <message>
        <source>A&amp;rchive</source>
        <translation>&amp;Archivieren</translation>
    </message>
    <message>
        <source>Customer archived.</source>
        <translation>Kunde archiviert.</translation>
    </message>
    <message>
        <source>Customer migrated to its own reseller portal.</source>
        <translation>Kunde zu einem eigenen Reseller-Portal migriert.</translation>
    </message>
</context>
<context>
    <name>rd::EditCustomerDialog</name>
    <message>
        <source>Edit customer</source>
        <translation>Kunde bearbeiten</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>Firmenname</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Website</translation>
    </message>
    <message>
        <source>example.com</source>
        <translation>example.com</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Name des Ansprechpartners</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>+49 30 1234567</source>
        <translation>+49 30 1234567</translation>
    </message>
    <message>
        <source>Contact email (the client&apos;s login)</source>
        <translation>E-Mail des Ansprechpartners (Login des Kunden)</translation>
    </message>
    <message>
        <source>The client signs in with this address, so it is not changed here.</source>
        <translation>Der Kunde meldet sich mit dieser Adresse an, daher wird sie hier nicht geändert.</translation>
    </message>
    <message>
        <source>N&amp;o email to this client</source>
        <translation>K&amp;eine E-Mails an diesen Kunden</translation>
    </message>
    <message>
        <source>No email</source>
        <translation>Keine E-Mails</translation>
    </message>
    <message>
        <source>Silences the trial reminders and the Login As notices. Emails you ask for explicitly, such as a setup email, are still sent.</source>
        <translation>Unterdrückt die Erinnerungen an das Ende der Testphase und die Hinweise zu „Anmelden als“. E-Mails, die Sie ausdrücklich anfordern, etwa eine Einrichtungs-E-Mail, werden weiterhin gesendet.</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Preisliste</translation>
    </message>
    <message>
        <source>Only administrators change a customer&apos;s price list.</source>
        <translation>Nur Administratoren ändern die Preisliste eines Kunden.</translation>
    </message>
    <message>
        <source>&amp;Company:</source>
        <translation>&amp;Firma:</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>&amp;Website:</translation>
    </message>
    <message>
        <source>Contact n&amp;ame:</source>
        <translation>N&amp;ame des Ansprechpartners:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>E&amp;mail:</source>
        <translation>E-&amp;Mail:</translation>
    </message>
    <message>
        <source>Notifications:</source>
        <translation>Benachrichtigungen:</translation>
    </message>
    <message>
        <source>P&amp;lan:</source>
        <translation>Ta&amp;rif:</translation>
    </message>
    <message>
        <source>Price l&amp;ist:</source>
        <translation>Preis&amp;liste:</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Der Kunde konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The price lists could not be loaded: %1</source>
        <translation>Die Preislisten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The plans could not be loaded: %1</source>
        <translation>Die Tarife konnten nicht geladen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%Ln identification(s) a month)</source>
        <translation>
            <numerusform>%1 (%Ln Identifikation pro Monat)</numerusform>
            <numerusform>%1 (%Ln Identifikationen pro Monat)</numerusform>
        </translation>
    </message>
    <message>
        <source>Current plan</source>
        <translation>Aktueller Tarif</translation>
    </message>
    <message>
        <source>%1 (no longer offered)</source>
        <translation>%1 (nicht mehr angeboten)</translation>
    </message>
    <message>
        <source>Current price list</source>
        <translation>Aktuelle Preisliste</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Your role can see this customer but not change it.</source>
        <translation>Ihre Rolle kann diesen Kunden sehen, aber nicht ändern.</translation>
    </message>
    <message>
        <source>Reload the customer before saving again.</source>
        <translation>Laden Sie den Kunden neu, bevor Sie erneut speichern.</translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>Geben Sie den Firmennamen ein.</translation>
    </message>
    <message>
        <source>Enter the contact&apos;s name.</source>
        <translation>Geben Sie den Namen des Ansprechpartners ein.</translation>
    </message>
    <message>
        <source>%1 has no price for the plan %2; choose another price list or plan.</source>
        <translation>%1 enthält keinen Preis für den Tarif %2; wählen Sie eine andere Preisliste oder einen anderen Tarif.</translation>
    </message>
    <message>
        <source>The customer&apos;s price list has no price for the plan %1; choose another plan.</source>
        <translation>Die Preisliste des Kunden enthält keinen Preis für den Tarif %1; wählen Sie einen anderen Tarif.</translation>
    </message>
    <message>
        <source>Nothing has changed yet.</source>
        <translation>Es wurde noch nichts geändert.</translation>
    </message>
    <message>
        <source>Saved as: %1</source>
        <translation>Gespeichert als: %1</translation>
    </message>
    <message>
        <source>Saved as: %1 (%2)</source>
        <translation>Gespeichert als: %1 (%2)</translation>
    </message>
    <message>
        <source>Optional.</source>
        <translation>Optional.</translation>
    </message>
    <message>
        <source>Optional. Without + and a country code it is read as a number from %1.</source>
        <translation>Optional. Ohne + und Ländervorwahl gilt sie als Nummer aus %1.</translation>
    </message>
    <message>
        <source>The plan changes when you save; the new identification budget applies at once.</source>
        <translation>Der Tarif ändert sich beim Speichern; das neue Identifikationskontingent gilt sofort.</translation>
    </message>
    <message>
        <source>%1 costs %2 a month on this list.</source>
        <translation>%1 kostet in dieser Liste %2 pro Monat.</translation>
    </message>
    <message>
        <source>the company and contact details</source>
        <translation>Firmen- und Kontaktdaten</translation>
    </message>
    <message>
        <source>the plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>the price list</source>
        <translation>Preisliste</translation>
    </message>
    <message>
        <source>Reload shows the customer as it is saved now; what you typed here is replaced.</source>
        <translation>„Neu laden“ zeigt den Kunden, wie er jetzt gespeichert ist; Ihre Eingaben hier werden ersetzt.</translation>
    </message>
    <message>
        <source>Saved: %1. Not saved: %2.</source>
        <translation>Gespeichert: %1. Nicht gespeichert: %2.</translation>
    </message>
</context>
<context>
    <name>rd::ExportCustomersTask</name>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel-Arbeitsmappe (*.xlsx)</translation>
    </message>
    <message>
        <source>Export Customers</source>
        <translation>Kunden exportieren</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>Exporting customers to %1…</source>
        <translation>Kunden werden nach %1 exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>The export stopped.</source>
        <translation>Der Export wurde angehalten.</translation>
    </message>
    <message>
        <source>The customers were not exported: %1</source>
        <translation>Die Kunden wurden nicht exportiert: %1</translation>
    </message>
    <message>
        <source>Export cancelled: %1 was not written.</source>
        <translation>Export abgebrochen: %1 wurde nicht geschrieben.</translation>
    </message>
    <message>
        <source>Exported 1 customer to %1.</source>
        <translation>1 Kunde nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Exported %1 customers to %2.</source>
        <translation>%1 Kunden nach %2 exportiert.</translation>
    </message>
</context>
<context>
    <name>rd::ExtendTrialDialog</name>
    <message>
        <source>Extend trial</source>
        <translation>Testphase verlängern</translation>
    </message>
    <message>
        <source>Days to add</source>
        <translation>Hinzuzufügende Tage</translation>
    </message>
    <message>
        <source>New end of the trial</source>
        <translation>Neues Ende der Testphase</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Erforderlich: wird im Prüfprotokoll festgehalten</translation>
    </message>
    <message>
        <source>&amp;Days to add:</source>
        <translation>Hinzuzufügende &amp;Tage:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>Trial ends:</source>
        <translation>Testphase endet:</translation>
    </message>
    <message>
        <source>New end:</source>
        <translation>Neues Ende:</translation>
    </message>
    <message>
        <source>&amp;Extend trial</source>
        <translation>Testphase &amp;verlängern</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Der Kunde konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 is a paid account; only trials can be extended.</source>
        <translation>%1 ist ein zahlendes Konto; nur Testphasen können verlängert werden.</translation>
    </message>
    <message>
        <source>No trial</source>
        <translation>Keine Testphase</translation>
    </message>
    <message>
        <source>The trial of %1 has expired. An expired trial is extended from now, not from its old end.</source>
        <translation>Die Testphase von %1 ist abgelaufen. Eine abgelaufene Testphase wird ab jetzt verlängert, nicht ab ihrem alten Ende.</translation>
    </message>
    <message>
        <source>Expired on %1</source>
        <translation>Am %1 abgelaufen</translation>
    </message>
    <message>
        <source>The trial of %1 is running; the days are added to its current end. The trial reminder moves with the end.</source>
        <translation>Die Testphase von %1 läuft; die Tage werden zu ihrem aktuellen Ende hinzugefügt. Die Erinnerung an das Ende der Testphase verschiebt sich mit.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n day(s) left)</source>
        <translation>
            <numerusform>%1 (noch %n Tag)</numerusform>
            <numerusform>%1 (noch %n Tage)</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Your role cannot extend trials.</source>
        <translation>Ihre Rolle kann keine Testphasen verlängern.</translation>
    </message>
    <message>
        <source>Reload the customer before extending.</source>
        <translation>Laden Sie den Kunden vor dem Verlängern neu.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 ist nicht in einer Testphase.</translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Geben Sie einen Grund an; er wird im Prüfprotokoll festgehalten.</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>Höchstens %n Tag auf einmal.</numerusform>
            <numerusform>Höchstens %n Tage auf einmal.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload shows the trial as it is saved now; the days and reason you entered stay.</source>
        <translation>„Neu laden“ zeigt die Testphase, wie sie jetzt gespeichert ist; die eingegebenen Tage und der Grund bleiben erhalten.</translation>
    </message>
</context>
<context>
    <name>rd::Feedback</name>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
</context>
<context>
    <name>rd::FirstRunDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation>Ersten Administrator anlegen</translation>
    </message>
    <message>
        <source>This database has no users yet. The account you create now administers everything: resellers, customers and other users. You sign in with its email address and password.</source>
        <translation>Diese Datenbank hat noch keine Benutzer. Das Konto, das Sie jetzt anlegen, verwaltet alles: Reseller, Kunden und weitere Benutzer. Sie melden sich mit seiner E-Mail-Adresse und seinem Passwort an.</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>Mindestens %n Zeichen</numerusform>
            <numerusform>Mindestens %n Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>Confirm password</source>
        <translation>Passwort bestätigen</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Confirm password:</source>
        <translation>Passwort &amp;bestätigen:</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Was fehlt</translation>
    </message>
    <message>
        <source>C&amp;reate administrator</source>
        <translation>Administrator &amp;anlegen</translation>
    </message>
    <message>
        <source>Create the administrator</source>
        <translation>Den Administrator anlegen</translation>
    </message>
    <message>
        <source>Fill with &amp;Demo Data</source>
        <translation>Mit &amp;Demodaten füllen</translation>
    </message>
    <message>
        <source>Fill with demo data</source>
        <translation>Mit Demodaten füllen</translation>
    </message>
    <message>
        <source>Explore ResellerDesk with sample resellers, customers and users instead; the demo logins are shown at sign-in</source>
        <translation>Stattdessen ResellerDesk mit Beispiel-Resellern, -Kunden und -Benutzern erkunden; die Demo-Zugänge werden bei der Anmeldung angezeigt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Enter your name.</source>
        <translation>Geben Sie Ihren Namen ein.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>rd::ImpersonationBanner</name>
    <message>
        <source>Login As session</source>
        <translation>Anmelden-als-Sitzung</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>LOGIN AS</source>
        <translation>ANMELDEN ALS</translation>
    </message>
    <message>
        <source>&amp;End session</source>
        <translation>Sitzung &amp;beenden</translation>
    </message>
    <message>
        <source>End the Login As session</source>
        <translation>Die Anmelden-als-Sitzung beenden</translation>
    </message>
    <message>
        <source>Viewing %1 as %2 — you are %3; every action is recorded; ends in %4</source>
        <translation>Ansicht von %1 als %2 – Sie sind %3; jede Aktion wird protokolliert; endet in %4</translation>
    </message>
</context>
<context>
    <name>rd::ImpersonationSessionTableModel</name>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>App exit</source>
        <translation>Programm beendet</translation>
    </message>
    <message>
        <source>Expires %1</source>
        <translation>Läuft ab: %1</translation>
    </message>
    <message>
        <source>%1 (reseller %2)</source>
        <translation>%1 (Reseller %2)</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>Expired (never closed)</source>
        <translation>Abgelaufen (nie geschlossen)</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Noch offen</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Impersonator</source>
        <translation>Geöffnet von</translation>
    </message>
    <message>
        <source>Client user</source>
        <translation>Kundenbenutzer</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>How it ended</source>
        <translation>Art des Endes</translation>
    </message>
</context>
<context>
    <name>rd::ImportCustomersDialog</name>
    <message>
        <source>Import Customers from CSV</source>
        <translation>Kunden aus CSV importieren</translation>
    </message>
    <message>
        <source>Adds a customer for each row of a CSV file (UTF-8, with a header row), with the same checks as New Customer. Nothing changes until you choose Import.</source>
        <translation>Legt für jede Zeile einer CSV-Datei (UTF-8, mit Kopfzeile) einen Kunden an, mit denselben Prüfungen wie „Neuer Kunde“. Nichts ändert sich, bevor Sie „Importieren“ wählen.</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV-Datei</translation>
    </message>
    <message>
        <source>Choose a CSV file…</source>
        <translation>CSV-Datei wählen…</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Durchs&amp;uchen…</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Reseller-Portal</translation>
    </message>
    <message>
        <source>Plan for rows without one</source>
        <translation>Tarif für Zeilen ohne Tarif</translation>
    </message>
    <message>
        <source>Send each new customer a &amp;setup email</source>
        <translation>Jedem neuen Kunden eine &amp;Einrichtungs-E-Mail senden</translation>
    </message>
    <message>
        <source>Off: the customers get no notification that their account exists. Rows marked “no email” never get one.</source>
        <translation>Aus: Die Kunden erhalten keine Benachrichtigung, dass ihr Konto existiert. Zeilen mit „keine E-Mails“ erhalten nie eine.</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>&amp;Reseller portal:</source>
        <translation>&amp;Reseller-Portal:</translation>
    </message>
    <message>
        <source>&amp;Plan for rows without one:</source>
        <translation>&amp;Tarif für Zeilen ohne Tarif:</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Show only rows with &amp;problems</source>
        <translation>Nur Zeilen mit &amp;Problemen anzeigen</translation>
    </message>
    <message>
        <source>Rows of the file</source>
        <translation>Zeilen der Datei</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Contact email</source>
        <translation>E-Mail des Ansprechpartners</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Importfortschritt</translation>
    </message>
    <message>
        <source>Save &amp;Error Report…</source>
        <translation>&amp;Fehlerbericht speichern…</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>&amp;Stop Import</source>
        <translation>Import &amp;stoppen</translation>
    </message>
    <message>
        <source>Stops after the current row; the rows of the unfinished batch are not imported, earlier batches stay.</source>
        <translation>Hält nach der aktuellen Zeile an; die Zeilen des unvollständigen Stapels werden nicht importiert, frühere Stapel bleiben erhalten.</translation>
    </message>
    <message>
        <source>Your reseller portal</source>
        <translation>Ihr Reseller-Portal</translation>
    </message>
    <message>
        <source>None — direct accounts</source>
        <translation>Keines – Direktkunden</translation>
    </message>
    <message>
        <source>None — every row names its plan</source>
        <translation>Keiner – jede Zeile nennt ihren Tarif</translation>
    </message>
    <message>
        <source>Import Customers</source>
        <translation>Kunden importieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV-Dateien (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>Die Datei %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>(not in the file)</source>
        <translation>(nicht in der Datei)</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Spalte %1</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) in the file: </source>
        <translation>
            <numerusform>%n Zeile in der Datei: </numerusform>
            <numerusform>%n Zeilen in der Datei: </numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can be imported, %2 have problems.</source>
        <translation>%1 können importiert werden, %2 haben Probleme.</translation>
    </message>
    <message numerus="yes">
        <source>Import stopped: %n customer(s) imported (lines %1–%2); the unfinished batch was undone and %3 valid rows were not imported.</source>
        <translation>
            <numerusform>Import angehalten: %n Kunde importiert (Zeilen %1–%2); der unvollständige Stapel wurde rückgängig gemacht, und %3 gültige Zeilen wurden nicht importiert.</numerusform>
            <numerusform>Import angehalten: %n Kunden importiert (Zeilen %1–%2); der unvollständige Stapel wurde rückgängig gemacht, und %3 gültige Zeilen wurden nicht importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n Kunde importiert.</numerusform>
            <numerusform>%n Kunden importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) refused; save the error report to correct and import them.</source>
        <translation>
            <numerusform>%n Zeile abgelehnt; speichern Sie den Fehlerbericht, um sie zu korrigieren und zu importieren.</numerusform>
            <numerusform>%n Zeilen abgelehnt; speichern Sie den Fehlerbericht, um sie zu korrigieren und zu importieren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>Nicht importiert</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Import %n Customer(s)</source>
        <translation>
            <numerusform>%n Kunden &amp;importieren</numerusform>
            <numerusform>%n Kunden &amp;importieren</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Wird importiert…</translation>
    </message>
    <message>
        <source>The import stopped unexpectedly.</source>
        <translation>Der Import wurde unerwartet angehalten.</translation>
    </message>
    <message>
        <source>-refused</source>
        <comment>file name suffix of the error report</comment>
        <translation>-abgelehnt</translation>
    </message>
    <message>
        <source>Save Error Report</source>
        <translation>Fehlerbericht speichern</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>The report cannot be written to %1. Choose another folder.</source>
        <translation>Der Bericht kann nicht nach %1 geschrieben werden. Wählen Sie einen anderen Ordner.</translation>
    </message>
</context>
<context>
    <name>rd::LoginAsController</name>
    <message>
        <source>Login As</source>
        <translation>Anmelden als</translation>
    </message>
    <message>
        <source>You are viewing %1 with Login As. End that session before you start another.</source>
        <translation>Sie sehen %1 bereits über „Anmelden als“. Beenden Sie diese Sitzung, bevor Sie eine neue starten.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>The Login As session with %1 reached its time limit and has ended.</source>
        <translation>Die Anmelden-als-Sitzung mit %1 hat ihr Zeitlimit erreicht und wurde beendet.</translation>
    </message>
    <message>
        <source>The end of the Login As session with %1 could not be recorded: %2</source>
        <translation>Das Ende der Anmelden-als-Sitzung mit %1 konnte nicht protokolliert werden: %2</translation>
    </message>
    <message>
        <source>Login As session with %1 ended.</source>
        <translation>Anmelden-als-Sitzung mit %1 beendet.</translation>
    </message>
</context>
<context>
    <name>rd::LoginAsDialog</name>
    <message>
        <source>Login As — %1</source>
        <translation>Anmelden als — %1</translation>
    </message>
    <message>
        <source>Client user to view as</source>
        <translation>Kundenbenutzer, als der angemeldet wird</translation>
    </message>
    <message>
        <source>The client view opens as this user sees it; the primary client admin is the default.</source>
        <translation>Die Kundenansicht öffnet sich so, wie dieser Benutzer sie sieht; standardmäßig ist es der Haupt-Kunden-Admin.</translation>
    </message>
    <message>
        <source>Why this user cannot be chosen</source>
        <translation>Warum dieser Benutzer nicht gewählt werden kann</translation>
    </message>
    <message>
        <source>Reason for Login As</source>
        <translation>Grund für „Anmelden als“</translation>
    </message>
    <message>
        <source>Required. Kept in the audit log with the session.</source>
        <translation>Erforderlich. Wird mit der Sitzung im Prüfprotokoll festgehalten.</translation>
    </message>
    <message>
        <source>e.g. Ticket 4711: the client cannot see this month&apos;s usage</source>
        <translation>z. B. Ticket 4711: Der Kunde sieht die Nutzung dieses Monats nicht</translation>
    </message>
    <message>
        <source>&amp;View as:</source>
        <translation>&amp;Ansehen als:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>&amp;Start Login As</source>
        <translation>„Anmelden als“ &amp;starten</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt; — %3</source>
        <translation>%1 &lt;%2&gt; — %3</translation>
    </message>
    <message>
        <source> (primary)</source>
        <translation> (Haupt)</translation>
    </message>
    <message>
        <source> — not available</source>
        <translation> — nicht verfügbar</translation>
    </message>
    <message numerus="yes">
        <source>You will see %1 exactly as the chosen client user sees it. The session is recorded in the audit log with your reason, ends after %n minute(s), and password, email and user changes are refused while it lasts.</source>
        <translation>
            <numerusform>Sie sehen %1 genau so, wie der gewählte Kundenbenutzer es sieht. Die Sitzung wird mit Ihrem Grund im Prüfprotokoll festgehalten, endet nach %n Minute, und Änderungen an Passwort, E-Mail und Benutzern werden abgelehnt, solange sie läuft.</numerusform>
            <numerusform>Sie sehen %1 genau so, wie der gewählte Kundenbenutzer es sieht. Die Sitzung wird mit Ihrem Grund im Prüfprotokoll festgehalten, endet nach %n Minuten, und Änderungen an Passwort, E-Mail und Benutzern werden abgelehnt, solange sie läuft.</numerusform>
        </translation>
    </message>
    <message>
        <source>The client user is notified by email.</source>
        <translation>Der Kundenbenutzer wird per E-Mail benachrichtigt.</translation>
    </message>
    <message>
        <source>The client is not notified (email notices are off).</source>
        <translation>Der Kunde wird nicht benachrichtigt (E-Mail-Hinweise sind ausgeschaltet).</translation>
    </message>
    <message>
        <source>This account has no client user to view as.</source>
        <translation>Dieses Konto hat keinen Kundenbenutzer, als der angemeldet werden kann.</translation>
    </message>
    <message>
        <source>A reason is required; it is kept in the audit log.</source>
        <translation>Ein Grund ist erforderlich; er wird im Prüfprotokoll festgehalten.</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>Höchstens %n Zeichen.</numerusform>
            <numerusform>Höchstens %n Zeichen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::MailStatusIndicator</name>
    <message>
        <source>Mail status</source>
        <translation>E-Mail-Status</translation>
    </message>
    <message>
        <source>Mail: status unavailable</source>
        <translation>E-Mail: Status nicht verfügbar</translation>
    </message>
    <message numerus="yes">
        <source>Mail: %n failing</source>
        <translation>
            <numerusform>E-Mail: %n fehlgeschlagen</numerusform>
            <numerusform>E-Mail: %n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mail: %n pending</source>
        <translation>
            <numerusform>E-Mail: %n ausstehend</numerusform>
            <numerusform>E-Mail: %n ausstehend</numerusform>
        </translation>
    </message>
    <message>
        <source>Mail: all sent</source>
        <translation>E-Mail: alle gesendet</translation>
    </message>
    <message>
        <source>The outbox cannot be read: %1</source>
        <translation>Der Postausgang kann nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n emails waiting to be sent</source>
        <translation>
            <numerusform>%n E-Mail wartet auf den Versand</numerusform>
            <numerusform>%n E-Mails warten auf den Versand</numerusform>
        </translation>
    </message>
    <message>
        <source>The oldest was queued on %1.</source>
        <translation>Die älteste wurde am %1 in den Postausgang gestellt.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails failed</source>
        <translation>
            <numerusform>%n E-Mail fehlgeschlagen</numerusform>
            <numerusform>%n E-Mails fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails of unknown outcome (not resent automatically)</source>
        <translation>
            <numerusform>%n E-Mail mit unbekanntem Ergebnis (wird nicht automatisch erneut gesendet)</numerusform>
            <numerusform>%n E-Mails mit unbekanntem Ergebnis (werden nicht automatisch erneut gesendet)</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>This desktop delivers mail.</source>
        <translation>Dieser Arbeitsplatz stellt E-Mails zu.</translation>
    </message>
    <message>
        <source>Delivery problem: %1</source>
        <translation>Zustellungsproblem: %1</translation>
    </message>
    <message>
        <source>This desktop does not deliver mail; another desktop or the dispatcher (resellerdesk dispatch) delivers it.</source>
        <translation>Dieser Arbeitsplatz stellt keine E-Mails zu; das übernimmt ein anderer Arbeitsplatz oder der Versanddienst (resellerdesk dispatch).</translation>
    </message>
    <message>
        <source>Click to open the outbox.</source>
        <translation>Klicken, um den Postausgang zu öffnen.</translation>
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
        <translation>Bereiche</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Resellers</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>&amp;Reseller</source>
        <translation>&amp;Reseller</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>&amp;Kunde</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>Ben&amp;utzer</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Postausgang</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;Postausgang</translation>
    </message>
    <message>
        <source>Audit Log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Au&amp;dit</source>
        <translation>Prü&amp;fprotokoll</translation>
    </message>
    <message>
        <source>Signed in as %1 — %2</source>
        <translation>Angemeldet als %1 — %2</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Updated from another desktop</source>
        <translation>Von einem anderen Arbeitsplatz aktualisiert</translation>
    </message>
    <message>
        <source>S&amp;witch Membership…</source>
        <translation>Mitgliedschaft &amp;wechseln…</translation>
    </message>
    <message>
        <source>Work in another of your portals or accounts</source>
        <translation>In einem anderen Ihrer Portale oder Konten arbeiten</translation>
    </message>
    <message>
        <source>Import &amp;Usage…</source>
        <translation>&amp;Nutzung importieren…</translation>
    </message>
    <message>
        <source>Import the metering system&apos;s monthly usage (CSV)</source>
        <translation>Die monatliche Nutzung aus dem Messsystem importieren (CSV)</translation>
    </message>
    <message>
        <source>Usage imported: %1 rows.</source>
        <translation>Nutzung importiert: %1 Zeilen.</translation>
    </message>
    <message>
        <source>Change &amp;Password…</source>
        <translation>&amp;Passwort ändern…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>Sign out and sign in as another user</source>
        <translation>Abmelden und als anderer Benutzer anmelden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Find Customers</source>
        <translation>Kunden &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Show &amp;Tool Bar</source>
        <translation>&amp;Werkzeugleiste anzeigen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About ResellerDesk</source>
        <translation>&amp;Über ResellerDesk</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>Ihr Passwort wurde geändert.</translation>
    </message>
    <message>
        <source>Manage resellers and their customers.</source>
        <translation>Reseller und ihre Kunden verwalten.</translation>
    </message>
</context>
<context>
    <name>rd::MigrateCustomerDialog</name>
    <message>
        <source>Migrate customer to its own reseller portal</source>
        <translation>Kunde zu einem eigenen Reseller-Portal migrieren</translation>
    </message>
    <message>
        <source>Name of the new portal</source>
        <translation>Name des neuen Portals</translation>
    </message>
    <message>
        <source>Problem with the portal name</source>
        <translation>Problem mit dem Portalnamen</translation>
    </message>
    <message>
        <source>Commission rate of the new portal, in percent</source>
        <translation>Provisionssatz des neuen Portals in Prozent</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Problem with the commission rate</source>
        <translation>Problem mit dem Provisionssatz</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>Ihr Passwort</translation>
    </message>
    <message>
        <source>Confirm with your own password</source>
        <translation>Mit Ihrem eigenen Passwort bestätigen</translation>
    </message>
    <message>
        <source>Problem with the password</source>
        <translation>Problem mit dem Passwort</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Kunde:</translation>
    </message>
    <message>
        <source>Portal &amp;name:</source>
        <translation>Portal&amp;name:</translation>
    </message>
    <message>
        <source>Parent reseller:</source>
        <translation>Übergeordneter Reseller:</translation>
    </message>
    <message>
        <source>&amp;Commission rate:</source>
        <translation>&amp;Provisionssatz:</translation>
    </message>
    <message>
        <source>Your &amp;password:</source>
        <translation>Ihr Pa&amp;sswort:</translation>
    </message>
    <message>
        <source>What will happen</source>
        <translation>Was geschehen wird</translation>
    </message>
    <message>
        <source>Why Migrate is not available</source>
        <translation>Warum Migrieren nicht verfügbar ist</translation>
    </message>
    <message>
        <source>&amp;Migrate</source>
        <translation>&amp;Migrieren</translation>
    </message>
    <message>
        <source>Migrate the customer</source>
        <translation>Den Kunden migrieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Der Kunde existiert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 (the current owner)</source>
        <translation>%1 (der aktuelle Eigentümer)</translation>
    </message>
    <message>
        <source>None: a direct account becomes a top-level reseller</source>
        <translation>Keiner: Ein Direktkunde wird zu einem Reseller der obersten Ebene</translation>
    </message>
    <message>
        <source>A reseller portal “%1” is created with a commission rate of %2 %, as a sub-portal of %3, which stays linked to it for commissions.</source>
        <translation>Ein Reseller-Portal „%1“ wird mit einem Provisionssatz von %2 % als Unterportal von %3 angelegt, der für Provisionen mit ihm verknüpft bleibt.</translation>
    </message>
    <message>
        <source>A reseller portal “%1” is created with a commission rate of %2 %, as a top-level reseller (the customer is a direct account).</source>
        <translation>Ein Reseller-Portal „%1“ wird mit einem Provisionssatz von %2 % als Reseller der obersten Ebene angelegt (der Kunde ist ein Direktkunde).</translation>
    </message>
    <message>
        <source>%1 (%2) becomes the portal&apos;s Reseller Admin and keeps their access to %3.</source>
        <translation>%1 (%2) wird Reseller-Admin des Portals und behält den Zugriff auf %3.</translation>
    </message>
    <message>
        <source>The portal becomes the owner of %1; the assignment to %2 ends and stays in the history. Other assignments stay.</source>
        <translation>Das Portal wird Eigentümer von %1; die Zuordnung zu %2 endet und bleibt im Verlauf. Andere Zuordnungen bleiben bestehen.</translation>
    </message>
    <message>
        <source>The portal becomes the owner of %1.</source>
        <translation>Das Portal wird Eigentümer von %1.</translation>
    </message>
    <message>
        <source>No email is sent: %1 is set to &quot;no email&quot;. Tell %2 yourself.</source>
        <translation>Es wird keine E-Mail gesendet: Für %1 ist „Keine E-Mails“ eingestellt. Informieren Sie %2 selbst.</translation>
    </message>
    <message>
        <source>An invitation email to the portal is sent to %1.</source>
        <translation>Eine Einladungs-E-Mail für das Portal wird an %1 gesendet.</translation>
    </message>
    <message>
        <source>A customer migrates once; this cannot be repeated.</source>
        <translation>Ein Kunde wird nur einmal migriert; das kann nicht wiederholt werden.</translation>
    </message>
    <message>
        <source>Enter the portal&apos;s name.</source>
        <translation>Geben Sie den Namen des Portals ein.</translation>
    </message>
    <message>
        <source>Enter your password to confirm the migration.</source>
        <translation>Geben Sie Ihr Passwort ein, um die Migration zu bestätigen.</translation>
    </message>
    <message>
        <source>Migrate customer</source>
        <translation>Kunde migrieren</translation>
    </message>
</context>
<context>
    <name>rd::MoveCustomerDialog</name>
    <message>
        <source>Move customer</source>
        <translation>Kunde verschieben</translation>
    </message>
    <message>
        <source>Give the customer another owner: a reseller, or nobody (a direct account). The current owner&apos;s assignment ends and stays in the history; additional assignments stay.</source>
        <translation>Geben Sie dem Kunden einen anderen Eigentümer: einen Reseller oder niemanden (Direktkunde). Die Zuordnung des bisherigen Eigentümers endet und bleibt im Verlauf; zusätzliche Zuordnungen bleiben bestehen.</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>Neuer Eigentümer</translation>
    </message>
    <message>
        <source>Choose the new owner</source>
        <translation>Neuen Eigentümer wählen</translation>
    </message>
    <message>
        <source>Plan check for the new owner</source>
        <translation>Tarifprüfung für den neuen Eigentümer</translation>
    </message>
    <message>
        <source>Plan with the new owner</source>
        <translation>Tarif beim neuen Eigentümer</translation>
    </message>
    <message>
        <source>Choose a plan</source>
        <translation>Tarif wählen</translation>
    </message>
    <message>
        <source>Problem with the plan</source>
        <translation>Problem mit dem Tarif</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Kunde:</translation>
    </message>
    <message>
        <source>Current owner:</source>
        <translation>Aktueller Eigentümer:</translation>
    </message>
    <message>
        <source>Current plan:</source>
        <translation>Aktueller Tarif:</translation>
    </message>
    <message>
        <source>&amp;New owner:</source>
        <translation>&amp;Neuer Eigentümer:</translation>
    </message>
    <message>
        <source>&amp;Plan:</source>
        <translation>&amp;Tarif:</translation>
    </message>
    <message>
        <source>Why Move is not available</source>
        <translation>Warum Verschieben nicht verfügbar ist</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Verschieben</translation>
    </message>
    <message>
        <source>Move the customer</source>
        <translation>Den Kunden verschieben</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The customer no longer exists.</source>
        <translation>Der Kunde existiert nicht mehr.</translation>
    </message>
    <message>
        <source>None (direct account)</source>
        <translation>Keiner (Direktkunde)</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Direktkunde (kein Reseller)</translation>
    </message>
    <message>
        <source>%1 (current plan)</source>
        <translation>%1 (aktueller Tarif)</translation>
    </message>
    <message>
        <source>A direct account keeps the plan %1.</source>
        <translation>Ein Direktkunde behält den Tarif %1.</translation>
    </message>
    <message>
        <source>Offers the current plan %1.</source>
        <translation>Bietet den aktuellen Tarif %1 an.</translation>
    </message>
    <message>
        <source>Does not offer the current plan %1: choose one of its plans.</source>
        <translation>Bietet den aktuellen Tarif %1 nicht an: Wählen Sie einen der dort angebotenen Tarife.</translation>
    </message>
    <message>
        <source>There is no other active reseller to move to.</source>
        <translation>Es gibt keinen anderen aktiven Reseller, zu dem verschoben werden kann.</translation>
    </message>
    <message>
        <source>Choose the new owner.</source>
        <translation>Wählen Sie den neuen Eigentümer.</translation>
    </message>
    <message>
        <source>The new owner offers no plans; a customer cannot move there.</source>
        <translation>Der neue Eigentümer bietet keine Tarife an; ein Kunde kann nicht dorthin verschoben werden.</translation>
    </message>
    <message>
        <source>Choose the plan %1 will have.</source>
        <translation>Wählen Sie den Tarif, den %1 haben wird.</translation>
    </message>
</context>
<context>
    <name>rd::OutboxPage</name>
    <message>
        <source>Show emails by status</source>
        <translation>E-Mails nach Status anzeigen</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Ergebnis unbekannt</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Problems (failed or unknown)</source>
        <translation>Probleme (fehlgeschlagen oder unbekannt)</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>Search emails</source>
        <translation>E-Mails suchen</translation>
    </message>
    <message>
        <source>Search recipient or subject</source>
        <translation>Empfänger oder Betreff suchen</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Suchen:</translation>
    </message>
    <message>
        <source>You can see the outbox; resending or cancelling an email needs the right to manage the customer or user it concerns.</source>
        <translation>Sie können den Postausgang sehen; zum erneuten Senden oder Stornieren einer E-Mail ist das Recht nötig, den betroffenen Kunden oder Benutzer zu verwalten.</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Postausgang</translation>
    </message>
    <message>
        <source>&amp;Resend</source>
        <translation>&amp;Erneut senden</translation>
    </message>
    <message>
        <source>Queue the selected failed, unknown or cancelled emails again</source>
        <translation>Die ausgewählten fehlgeschlagenen, unbekannten oder stornierten E-Mails erneut in den Postausgang stellen</translation>
    </message>
    <message>
        <source>&amp;Cancel Email…</source>
        <translation>E-Mail st&amp;ornieren…</translation>
    </message>
    <message>
        <source>Stop the selected emails from being sent; a one-time code in them is erased</source>
        <translation>Das Senden der ausgewählten E-Mails verhindern; ein enthaltener Einmalcode wird gelöscht</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Akt&amp;ualisieren</translation>
    </message>
    <message>
        <source>Load the outbox again</source>
        <translation>Den Postausgang neu laden</translation>
    </message>
    <message>
        <source>Outbox &amp;Columns</source>
        <translation>Spalten des &amp;Postausgangs</translation>
    </message>
    <message>
        <source>No email matches</source>
        <translation>Keine E-Mail passt</translation>
    </message>
    <message>
        <source>The outbox is empty</source>
        <translation>Der Postausgang ist leer</translation>
    </message>
    <message numerus="yes">
        <source>%n emails</source>
        <translation>
            <numerusform>%n E-Mail</numerusform>
            <numerusform>%n E-Mails</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>The email is queued again.</source>
        <translation>Die E-Mail steht wieder im Postausgang.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails are queued again.</source>
        <translation>
            <numerusform>%n E-Mail steht wieder im Postausgang.</numerusform>
            <numerusform>%n E-Mails stehen wieder im Postausgang.</numerusform>
        </translation>
    </message>
    <message>
        <source>Resend Email</source>
        <translation>E-Mail erneut senden</translation>
    </message>
    <message>
        <source>These emails could not be queued again:</source>
        <translation>Diese E-Mails konnten nicht erneut in den Postausgang gestellt werden:</translation>
    </message>
    <message>
        <source>Cancel Email</source>
        <translation>E-Mail stornieren</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n Emails</source>
        <translation>
            <numerusform>%n E-Mail stornieren</numerusform>
            <numerusform>%n E-Mails stornieren</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the email “%1” to %2?</source>
        <translation>Die E-Mail „%1“ an %2 stornieren?</translation>
    </message>
    <message numerus="yes">
        <source>Cancel the %n selected emails?</source>
        <translation>
            <numerusform>Die %n ausgewählte E-Mail stornieren?</numerusform>
            <numerusform>Die %n ausgewählten E-Mails stornieren?</numerusform>
        </translation>
    </message>
    <message>
        <source>A cancelled email is not sent. A one-time code it carries is erased, so such an email cannot be resent later: use Resend Setup Email or Reset Password for a new code.</source>
        <translation>Eine stornierte E-Mail wird nicht gesendet. Ein enthaltener Einmalcode wird gelöscht, daher kann eine solche E-Mail später nicht erneut gesendet werden: Verwenden Sie „Einrichtungs-E-Mail erneut senden“ oder „Passwort zurücksetzen“ für einen neuen Code.</translation>
    </message>
    <message>
        <source>&amp;Cancel Email</source>
        <translation>E-Mail &amp;stornieren</translation>
    </message>
    <message>
        <source>&amp;Cancel Emails</source>
        <translation>E-Mails &amp;stornieren</translation>
    </message>
    <message>
        <source>&amp;Keep</source>
        <translation>&amp;Behalten</translation>
    </message>
    <message>
        <source>The email is cancelled.</source>
        <translation>Die E-Mail ist storniert.</translation>
    </message>
    <message numerus="yes">
        <source>%n emails are cancelled.</source>
        <translation>
            <numerusform>%n E-Mail ist storniert.</numerusform>
            <numerusform>%n E-Mails sind storniert.</numerusform>
        </translation>
    </message>
    <message>
        <source>These emails could not be cancelled:</source>
        <translation>Diese E-Mails konnten nicht storniert werden:</translation>
    </message>
</context>
<context>
    <name>rd::OutboxTableModel</name>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Ergebnis unbekannt</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Einrichtung</translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation>Einladung</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>Passwort-Zurücksetzung</translation>
    </message>
    <message>
        <source>Portal invitation</source>
        <translation>Portal-Einladung</translation>
    </message>
    <message>
        <source>Trial reminder</source>
        <translation>Testphasen-Erinnerung</translation>
    </message>
    <message>
        <source>Login As notice</source>
        <translation>Hinweis zu „Anmelden als“</translation>
    </message>
    <message>
        <source>%1 — last error: %2</source>
        <translation>%1 — letzter Fehler: %2</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Nächster Versuch</translation>
    </message>
</context>
<context>
    <name>rd::PlanPage</name>
    <message>
        <source>Plan and price list</source>
        <translation>Tarif und Preisliste</translation>
    </message>
    <message>
        <source>The plans offered depend on the reseller; the price list follows the reseller&apos;s pricing.</source>
        <translation>Die angebotenen Tarife hängen vom Reseller ab; die Preisliste folgt der Preisgestaltung des Resellers.</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>&amp;Reseller:</source>
        <translation>&amp;Reseller:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Reseller:</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Choose a plan</source>
        <translation>Tarif wählen</translation>
    </message>
    <message>
        <source>&amp;Plan:</source>
        <translation>&amp;Tarif:</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>Preisliste</translation>
    </message>
    <message>
        <source>Price &amp;list:</source>
        <translation>Preis&amp;liste:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Preisliste:</translation>
    </message>
    <message>
        <source>Monthly price</source>
        <translation>Monatspreis</translation>
    </message>
    <message>
        <source>Monthly price:</source>
        <translation>Monatspreis:</translation>
    </message>
    <message>
        <source>&amp;Trial</source>
        <translation>T&amp;est</translation>
    </message>
    <message>
        <source>Trial</source>
        <translation>Testphase</translation>
    </message>
    <message>
        <source>Pai&amp;d</source>
        <translation>Be&amp;zahlt</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Bezahlt</translation>
    </message>
    <message>
        <source>the plan&apos;s full monthly budget from the start</source>
        <translation>das volle Monatskontingent des Tarifs von Anfang an</translation>
    </message>
    <message>
        <source>Billing:</source>
        <translation>Abrechnung:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Paid: %1</source>
        <translation>Bezahlt: %1</translation>
    </message>
    <message>
        <source>Trial: %1, until %2</source>
        <translation>Testphase: %1, bis %2</translation>
    </message>
    <message>
        <source>Direct account (no reseller)</source>
        <translation>Direktkunde (kein Reseller)</translation>
    </message>
    <message>
        <source>The trial terms could not be read: %1</source>
        <translation>Die Bedingungen der Testphase konnten nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1-day trial with %Ln identifications</source>
        <translation>
            <numerusform>%1-tägige Testphase mit %Ln Identifikation</numerusform>
            <numerusform>%1-tägige Testphase mit %Ln Identifikationen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln Identifikation pro Monat</numerusform>
            <numerusform>%1 — %Ln Identifikationen pro Monat</numerusform>
        </translation>
    </message>
    <message>
        <source>Direct accounts get the default price list %1.</source>
        <translation>Direktkunden erhalten die Standardpreisliste %1.</translation>
    </message>
    <message>
        <source>%1 gives its customers the price list %2.</source>
        <translation>%1 gibt seinen Kunden die Preisliste %2.</translation>
    </message>
    <message>
        <source>Choose a price list.</source>
        <translation>Wählen Sie eine Preisliste.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2. Choose another plan or price list.</source>
        <translation>Die Preisliste %1 enthält keinen Preis für den Tarif %2. Wählen Sie einen anderen Tarif oder eine andere Preisliste.</translation>
    </message>
    <message>
        <source>The price list %1 has no price for the plan %2. Choose another plan.</source>
        <translation>Die Preisliste %1 enthält keinen Preis für den Tarif %2. Wählen Sie einen anderen Tarif.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>rd::RaiseTrialBudgetDialog</name>
    <message>
        <source>Raise trial budget</source>
        <translation>Testkontingent erhöhen</translation>
    </message>
    <message>
        <source>New trial budget</source>
        <translation>Neues Testkontingent</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Erforderlich: wird im Prüfprotokoll festgehalten</translation>
    </message>
    <message>
        <source>&amp;New budget:</source>
        <translation>&amp;Neues Kontingent:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>Current budget:</source>
        <translation>Aktuelles Kontingent:</translation>
    </message>
    <message>
        <source>R&amp;aise budget</source>
        <translation>Kontingent &amp;erhöhen</translation>
    </message>
    <message>
        <source>The customer could not be read: %1</source>
        <translation>Der Kunde konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 is a paid account; its budget is the plan&apos;s.</source>
        <translation>%1 ist ein zahlendes Konto; sein Kontingent ist das des Tarifs.</translation>
    </message>
    <message>
        <source>No trial</source>
        <translation>Keine Testphase</translation>
    </message>
    <message>
        <source>The trial of %1 may use more identifications; the new budget applies at once.</source>
        <translation>Die Testphase von %1 darf mehr Identifikationen nutzen; das neue Kontingent gilt sofort.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s)</source>
        <translation>
            <numerusform>%Ln Identifikation</numerusform>
            <numerusform>%Ln Identifikationen</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Your role cannot change trials.</source>
        <translation>Ihre Rolle kann keine Testphasen ändern.</translation>
    </message>
    <message>
        <source>Reload the customer before raising the budget.</source>
        <translation>Laden Sie den Kunden neu, bevor Sie das Kontingent erhöhen.</translation>
    </message>
    <message>
        <source>%1 is not on a trial.</source>
        <translation>%1 ist nicht in einer Testphase.</translation>
    </message>
    <message numerus="yes">
        <source>The trial budget is already at the maximum of %Ln identification(s).</source>
        <translation>
            <numerusform>Das Testkontingent hat bereits das Maximum von %Ln Identifikation erreicht.</numerusform>
            <numerusform>Das Testkontingent hat bereits das Maximum von %Ln Identifikationen erreicht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Give a reason; it is kept in the audit log.</source>
        <translation>Geben Sie einen Grund an; er wird im Prüfprotokoll festgehalten.</translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln identification(s).</source>
        <translation>
            <numerusform>Höchstens %Ln Identifikation.</numerusform>
            <numerusform>Höchstens %Ln Identifikationen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload shows the trial as it is saved now; the reason you entered stays.</source>
        <translation>„Neu laden“ zeigt die Testphase, wie sie jetzt gespeichert ist; der eingegebene Grund bleibt erhalten.</translation>
    </message>
</context>
<context>
    <name>rd::ReasonDialog</name>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Required: recorded in the audit log</source>
        <translation>Erforderlich: wird im Prüfprotokoll festgehalten</translation>
    </message>
    <message>
        <source>Optional: recorded in the audit log</source>
        <translation>Optional: wird im Prüfprotokoll festgehalten</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>Give a reason; it is kept with the change.</source>
        <translation>Geben Sie einen Grund an; er wird mit der Änderung gespeichert.</translation>
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
        <translation>Reseller bearbeiten</translation>
    </message>
    <message>
        <source>New Reseller</source>
        <translation>Neuer Reseller</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>The partner company&apos;s name, unique</source>
        <translation>Der Name des Partnerunternehmens, eindeutig</translation>
    </message>
    <message>
        <source>Parent reseller</source>
        <translation>Übergeordneter Reseller</translation>
    </message>
    <message>
        <source>Commission rate</source>
        <translation>Provisionssatz</translation>
    </message>
    <message>
        <source>Override rate</source>
        <translation>Override-Satz</translation>
    </message>
    <message>
        <source>&amp;Assigned customers</source>
        <translation>&amp;Zugeordnete Kunden</translation>
    </message>
    <message>
        <source>All c&amp;ustomers</source>
        <translation>&amp;Alle Kunden</translation>
    </message>
    <message>
        <source>C&amp;hannel price list (the default)</source>
        <translation>&amp;Channel-Preisliste (Standard)</translation>
    </message>
    <message>
        <source>Selec&amp;ted price list:</source>
        <translation>Ausge&amp;wählte Preisliste:</translation>
    </message>
    <message>
        <source>Selected price list</source>
        <translation>Ausgewählte Preisliste</translation>
    </message>
    <message>
        <source>Plans offered</source>
        <translation>Angebotene Tarife</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Parent reseller:</source>
        <translation>Ü&amp;bergeordneter Reseller:</translation>
    </message>
    <message>
        <source>&amp;Commission rate:</source>
        <translation>&amp;Provisionssatz:</translation>
    </message>
    <message>
        <source>&amp;Override rate:</source>
        <translation>&amp;Override-Satz:</translation>
    </message>
    <message>
        <source>Plans o&amp;ffered:</source>
        <translation>Angebotene &amp;Tarife:</translation>
    </message>
    <message>
        <source>Customer scope:</source>
        <translation>Kundenbereich:</translation>
    </message>
    <message>
        <source>Pricing:</source>
        <translation>Preisgestaltung:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Add Reseller</source>
        <translation>Reseller &amp;hinzufügen</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln Identifikation pro Monat</numerusform>
            <numerusform>%1 — %Ln Identifikationen pro Monat</numerusform>
        </translation>
    </message>
    <message>
        <source>The plans could not be loaded: %1</source>
        <translation>Die Tarife konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>C&amp;hannel price list (the default, now %1)</source>
        <translation>&amp;Channel-Preisliste (Standard, derzeit %1)</translation>
    </message>
    <message>
        <source>None (a top-level reseller)</source>
        <translation>Keiner (ein Reseller der obersten Ebene)</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (inaktiv)</translation>
    </message>
    <message>
        <source>Edit Reseller — %1</source>
        <translation>Reseller bearbeiten — %1</translation>
    </message>
    <message>
        <source>Enter the reseller&apos;s name.</source>
        <translation>Geben Sie den Namen des Resellers ein.</translation>
    </message>
    <message>
        <source>Choose the price list this reseller&apos;s customers are priced on.</source>
        <translation>Wählen Sie die Preisliste, nach der die Kunden dieses Resellers abgerechnet werden.</translation>
    </message>
    <message>
        <source>Choose at least one plan the reseller offers.</source>
        <translation>Wählen Sie mindestens einen Tarif, den der Reseller anbietet.</translation>
    </message>
    <message>
        <source>What the parent reseller earns on this portal&apos;s orders.</source>
        <translation>Was der übergeordnete Reseller an den Bestellungen dieses Portals verdient.</translation>
    </message>
    <message>
        <source>Only for a sub-portal: choose a parent reseller first.</source>
        <translation>Nur für ein Unterportal: Wählen Sie zuerst einen übergeordneten Reseller.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see every customer of the installation, whoever it is assigned to. Meant for a portal the vendor runs itself.</source>
        <translation>Die Benutzer des Resellers sehen alle Kunden der Installation, unabhängig von deren Zuordnung. Gedacht für ein Portal, das der Anbieter selbst betreibt.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see the customers assigned to this reseller, as owner or in addition. The usual choice.</source>
        <translation>Die Benutzer des Resellers sehen die Kunden, die diesem Reseller zugeordnet sind, als Eigentümer oder zusätzlich. Die übliche Wahl.</translation>
    </message>
    <message>
        <source>Reseller Changed</source>
        <translation>Reseller geändert</translation>
    </message>
    <message>
        <source>Reload shows the reseller as it is now and discards the changes you made in this dialog.</source>
        <translation>„Neu laden“ zeigt den Reseller im aktuellen Stand und verwirft die Änderungen, die Sie in diesem Dialog vorgenommen haben.</translation>
    </message>
</context>
<context>
    <name>rd::ResellerTableModel</name>
    <message>
        <source>%1 earns an override of %2 on this portal&apos;s orders.</source>
        <translation>%1 erhält eine Override-Provision von %2 auf die Bestellungen dieses Portals.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see every customer of the installation.</source>
        <translation>Die Benutzer des Resellers sehen alle Kunden der Installation.</translation>
    </message>
    <message>
        <source>The reseller&apos;s users see the customers assigned to it.</source>
        <translation>Die Benutzer des Resellers sehen die ihm zugeordneten Kunden.</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>All customers</source>
        <translation>Alle Kunden</translation>
    </message>
    <message>
        <source>Assigned customers</source>
        <translation>Zugeordnete Kunden</translation>
    </message>
    <message>
        <source>Channel price list</source>
        <translation>Channel-Preisliste</translation>
    </message>
    <message>
        <source>Reseller</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Übergeordnet</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Active customers</source>
        <translation>Aktive Kunden</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>Testphasen</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Provision</translation>
    </message>
    <message>
        <source>Customer scope</source>
        <translation>Kundenbereich</translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation>Preisgestaltung</translation>
    </message>
</context>
<context>
    <name>rd::ResellersPage</name>
    <message>
        <source>Filter resellers</source>
        <translation>Reseller filtern</translation>
    </message>
    <message>
        <source>Name, parent, status…</source>
        <translation>Name, übergeordneter Reseller, Status…</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>Resellers</source>
        <translation>Reseller</translation>
    </message>
    <message>
        <source>&amp;New Reseller…</source>
        <translation>&amp;Neuer Reseller…</translation>
    </message>
    <message>
        <source>Add a reseller portal</source>
        <translation>Ein Reseller-Portal hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Edit Reseller…</source>
        <translation>Reseller &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Edit the selected reseller</source>
        <translation>Den ausgewählten Reseller bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Deactivate Reseller…</source>
        <translation>Reseller &amp;deaktivieren…</translation>
    </message>
    <message>
        <source>Deactivate the selected reseller, with a reason</source>
        <translation>Den ausgewählten Reseller deaktivieren, mit Begründung</translation>
    </message>
    <message>
        <source>&amp;Reactivate Reseller</source>
        <translation>Reseller &amp;reaktivieren</translation>
    </message>
    <message>
        <source>Reactivate the selected reseller</source>
        <translation>Den ausgewählten Reseller reaktivieren</translation>
    </message>
    <message>
        <source>Reactivate Reseller</source>
        <translation>Reseller reaktivieren</translation>
    </message>
    <message>
        <source>Deactivate Reseller</source>
        <translation>Reseller deaktivieren</translation>
    </message>
    <message>
        <source>Reactivate %1? Its users can work in the portal again, and it can be chosen for new customers and transfers.</source>
        <translation>%1 reaktivieren? Seine Benutzer können wieder im Portal arbeiten, und er kann für neue Kunden und Übertragungen gewählt werden.</translation>
    </message>
    <message>
        <source>Deactivate %1? Its users can no longer work in the portal, and it cannot be chosen for new customers or transfers. Its customers and history are kept; you can reactivate it later.</source>
        <translation>%1 deaktivieren? Seine Benutzer können nicht mehr im Portal arbeiten, und er kann nicht für neue Kunden oder Übertragungen gewählt werden. Seine Kunden und sein Verlauf bleiben erhalten; Sie können ihn später reaktivieren.</translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation>&amp;Reaktivieren</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln resellers</source>
        <translation>
            <numerusform>%1 von %Ln Reseller</numerusform>
            <numerusform>%1 von %Ln Resellern</numerusform>
        </translation>
    </message>
    <message>
        <source>1 reseller</source>
        <translation>1 Reseller</translation>
    </message>
    <message numerus="yes">
        <source>%Ln resellers</source>
        <translation>
            <numerusform>%Ln Reseller</numerusform>
            <numerusform>%Ln Reseller</numerusform>
        </translation>
    </message>
    <message>
        <source>No resellers match “%1”.</source>
        <translation>Kein Reseller passt zu „%1“.</translation>
    </message>
    <message>
        <source>No resellers yet — add one with New Reseller…</source>
        <translation>Noch keine Reseller – fügen Sie einen mit „Neuer Reseller…“ hinzu</translation>
    </message>
    <message>
        <source>No resellers yet.</source>
        <translation>Noch keine Reseller.</translation>
    </message>
</context>
<context>
    <name>rd::ReviewPage</name>
    <message>
        <source>Review</source>
        <translation>Überprüfen</translation>
    </message>
    <message>
        <source>Check the details, then create the customer. Use Back to change anything.</source>
        <translation>Prüfen Sie die Angaben und legen Sie dann den Kunden an. Mit „Zurück“ können Sie alles ändern.</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <source>Website:</source>
        <translation>Website:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>Ansprechpartner:</translation>
    </message>
    <message>
        <source>Email (login):</source>
        <translation>E-Mail (Login):</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Telefon:</translation>
    </message>
    <message>
        <source>Reseller:</source>
        <translation>Reseller:</translation>
    </message>
    <message>
        <source>Plan:</source>
        <translation>Tarif:</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>Preisliste:</translation>
    </message>
    <message>
        <source>Monthly price:</source>
        <translation>Monatspreis:</translation>
    </message>
    <message>
        <source>Billing:</source>
        <translation>Abrechnung:</translation>
    </message>
    <message>
        <source>&amp;Send setup email</source>
        <translation>Einrichtungs-E-Mail &amp;senden</translation>
    </message>
    <message>
        <source>Send setup email</source>
        <translation>Einrichtungs-E-Mail senden</translation>
    </message>
    <message numerus="yes">
        <source>%1 gets an email with the login and a one-time password that is valid for %n days, and how to open the client view.</source>
        <translation>
            <numerusform>%1 erhält eine E-Mail mit dem Login und einem Einmalpasswort, das %n Tag gültig ist, sowie einer Anleitung zum Öffnen der Kundenansicht.</numerusform>
            <numerusform>%1 erhält eine E-Mail mit dem Login und einem Einmalpasswort, das %n Tage gültig ist, sowie einer Anleitung zum Öffnen der Kundenansicht.</numerusform>
        </translation>
    </message>
    <message>
        <source>The client gets no notification at all that the account exists. You can send the setup email later with “Resend setup email” in the customer&apos;s details.</source>
        <translation>Der Kunde erhält überhaupt keine Benachrichtigung, dass das Konto existiert. Sie können die Einrichtungs-E-Mail später mit „Einrichtungs-E-Mail erneut senden“ in den Kundendetails senden.</translation>
    </message>
</context>
<context>
    <name>rd::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Kept in the database, shared by every desktop that uses it.</source>
        <translation>In der Datenbank gespeichert und von allen Arbeitsplätzen geteilt, die sie verwenden.</translation>
    </message>
    <message>
        <source>You can see these settings; only administrators can change them.</source>
        <translation>Sie können diese Einstellungen sehen; nur Administratoren können sie ändern.</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>Testphasen</translation>
    </message>
    <message>
        <source>Trial length in days</source>
        <translation>Dauer der Testphase in Tagen</translation>
    </message>
    <message>
        <source>Trial budget</source>
        <translation>Testkontingent</translation>
    </message>
    <message>
        <source>Reminder days before the end</source>
        <translation>Erinnerung Tage vor dem Ende</translation>
    </message>
    <message>
        <source>Longest single extension in days</source>
        <translation>Längste einzelne Verlängerung in Tagen</translation>
    </message>
    <message>
        <source>Longest trial in total in days</source>
        <translation>Längste Testphase insgesamt in Tagen</translation>
    </message>
    <message>
        <source>Highest trial budget</source>
        <translation>Höchstes Testkontingent</translation>
    </message>
    <message>
        <source>&amp;Trial length (days):</source>
        <translation>&amp;Dauer der Testphase (Tage):</translation>
    </message>
    <message>
        <source>How long a new trial runs.</source>
        <translation>Wie lange eine neue Testphase läuft.</translation>
    </message>
    <message>
        <source>Trial &amp;budget (identifications):</source>
        <translation>Test&amp;kontingent (Identifikationen):</translation>
    </message>
    <message>
        <source>The identifications a new trial may use.</source>
        <translation>Die Identifikationen, die eine neue Testphase nutzen darf.</translation>
    </message>
    <message>
        <source>&amp;Reminder before the end (days):</source>
        <translation>&amp;Erinnerung vor dem Ende (Tage):</translation>
    </message>
    <message>
        <source>The reminder email is sent this many days before a trial ends.</source>
        <translation>Die Erinnerungs-E-Mail wird so viele Tage vor dem Ende einer Testphase gesendet.</translation>
    </message>
    <message>
        <source>Longest single &amp;extension (days):</source>
        <translation>Längste einzelne &amp;Verlängerung (Tage):</translation>
    </message>
    <message>
        <source>The most days one extension may add.</source>
        <translation>Die meisten Tage, die eine Verlängerung hinzufügen darf.</translation>
    </message>
    <message>
        <source>Longest trial in t&amp;otal (days):</source>
        <translation>Längste Testphase ins&amp;gesamt (Tage):</translation>
    </message>
    <message>
        <source>No trial, however often extended, ends later than this after it began.</source>
        <translation>Keine Testphase endet, wie oft sie auch verlängert wird, später als diese Zeit nach ihrem Beginn.</translation>
    </message>
    <message>
        <source>&amp;Highest trial budget (identifications):</source>
        <translation>&amp;Höchstes Testkontingent (Identifikationen):</translation>
    </message>
    <message>
        <source>The most a trial budget may be raised to.</source>
        <translation>Der höchste Wert, auf den ein Testkontingent erhöht werden darf.</translation>
    </message>
    <message>
        <source>Login As</source>
        <translation>Anmelden als</translation>
    </message>
    <message>
        <source>Login As session length in minutes</source>
        <translation>Dauer einer Anmelden-als-Sitzung in Minuten</translation>
    </message>
    <message>
        <source>Session le&amp;ngth (minutes):</source>
        <translation>Sitzungs&amp;länge (Minuten):</translation>
    </message>
    <message>
        <source>A Login As session closes by itself after this time.</source>
        <translation>Eine Anmelden-als-Sitzung schließt sich nach dieser Zeit von selbst.</translation>
    </message>
    <message>
        <source>Notif&amp;y the client by email when someone logs in as them</source>
        <translation>Den Kunden per E-Mail be&amp;nachrichtigen, wenn sich jemand mit „Anmelden als“ in sein Konto anmeldet</translation>
    </message>
    <message>
        <source>Notify the client on Login As</source>
        <translation>Kunden bei „Anmelden als“ benachrichtigen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Allgemein</translation>
    </message>
    <message>
        <source>E&amp;mail</source>
        <translation>E-&amp;Mail</translation>
    </message>
    <message>
        <source>The settings could not be read: %1</source>
        <translation>Die Einstellungen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Settings Changed</source>
        <translation>Einstellungen geändert</translation>
    </message>
    <message>
        <source>Reload shows the settings as they are now and discards the changes you made in this dialog.</source>
        <translation>„Neu laden“ zeigt die Einstellungen im aktuellen Stand und verwirft die Änderungen, die Sie in diesem Dialog vorgenommen haben.</translation>
    </message>
</context>
<context>
    <name>rd::SignInDialog</name>
    <message>
        <source>Sign in to ResellerDesk</source>
        <translation>Bei ResellerDesk anmelden</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation>Anmeldeproblem</translation>
    </message>
    <message>
        <source>You have access in several places. Where do you want to work now?</source>
        <translation>Sie haben an mehreren Stellen Zugriff. Wo möchten Sie jetzt arbeiten?</translation>
    </message>
    <message>
        <source>Where to work</source>
        <translation>Arbeitsbereich</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>Change &amp;Database…</source>
        <translation>&amp;Datenbank wechseln…</translation>
    </message>
    <message>
        <source>Open another SQLite file or PostgreSQL server</source>
        <translation>Eine andere SQLite-Datei oder einen anderen PostgreSQL-Server öffnen</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Weiter</translation>
    </message>
</context>
<context>
    <name>rd::SmtpSettingsPage</name>
    <message>
        <source>&amp;Deliver email through this server</source>
        <translation>E-Mails über diesen Server &amp;zustellen</translation>
    </message>
    <message>
        <source>Deliver email through this server</source>
        <translation>E-Mails über diesen Server zustellen</translation>
    </message>
    <message>
        <source>While this is off, emails wait in the outbox.</source>
        <translation>Solange dies ausgeschaltet ist, warten E-Mails im Postausgang.</translation>
    </message>
    <message>
        <source>Mail server host</source>
        <translation>Host des Mailservers</translation>
    </message>
    <message>
        <source>e.g. smtp.example.com</source>
        <translation>z. B. smtp.example.com</translation>
    </message>
    <message>
        <source>Mail server port</source>
        <translation>Port des Mailservers</translation>
    </message>
    <message>
        <source>Connection security</source>
        <translation>Verbindungssicherheit</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>Implicit TLS (port 465)</source>
        <translation>Implizites TLS (Port 465)</translation>
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation>Keine (unverschlüsselt)</translation>
    </message>
    <message>
        <source>Without encryption, anyone on the network path can read the emails, including the one-time setup codes they carry. Use this only for a relay on this computer or a trusted network.</source>
        <translation>Ohne Verschlüsselung kann jeder auf dem Netzwerkweg die E-Mails lesen, einschließlich der enthaltenen Einmalcodes für die Einrichtung. Verwenden Sie dies nur für ein Relay auf diesem Computer oder in einem vertrauenswürdigen Netzwerk.</translation>
    </message>
    <message>
        <source>Warning about unencrypted mail</source>
        <translation>Warnung zu unverschlüsselten E-Mails</translation>
    </message>
    <message>
        <source>Allo&amp;w the password without encryption</source>
        <translation>Passwort ohne Verschlüsselung er&amp;lauben</translation>
    </message>
    <message>
        <source>Allow the password without encryption</source>
        <translation>Passwort ohne Verschlüsselung erlauben</translation>
    </message>
    <message>
        <source>Only with security None: the user name and password are sent as readable text.</source>
        <translation>Nur bei Sicherheit „Keine“: Benutzername und Passwort werden als lesbarer Text gesendet.</translation>
    </message>
    <message>
        <source>CA certificates file</source>
        <translation>CA-Zertifikatsdatei</translation>
    </message>
    <message>
        <source>Optional: a PEM file, e.g. your company&apos;s CA</source>
        <translation>Optional: eine PEM-Datei, z. B. die CA Ihres Unternehmens</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Durchs&amp;uchen…</translation>
    </message>
    <message>
        <source>Browse for the CA certificates file</source>
        <translation>Nach der CA-Zertifikatsdatei suchen</translation>
    </message>
    <message>
        <source>SMTP user name</source>
        <translation>SMTP-Benutzername</translation>
    </message>
    <message>
        <source>Empty when the server needs no sign-in</source>
        <translation>Leer, wenn der Server keine Anmeldung verlangt</translation>
    </message>
    <message>
        <source>SMTP password</source>
        <translation>SMTP-Passwort</translation>
    </message>
    <message>
        <source>&amp;Keep the password in this computer&apos;s keychain</source>
        <translation>Passwort im Schlüsselbund dieses Computers spei&amp;chern</translation>
    </message>
    <message>
        <source>Keep the password in this computer&apos;s keychain</source>
        <translation>Passwort im Schlüsselbund dieses Computers speichern</translation>
    </message>
    <message>
        <source>About the keychain</source>
        <translation>Hinweis zum Schlüsselbund</translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation>Absenderadresse</translation>
    </message>
    <message>
        <source>e.g. support@example.com</source>
        <translation>z. B. support@example.com</translation>
    </message>
    <message>
        <source>Sender name</source>
        <translation>Absendername</translation>
    </message>
    <message>
        <source>Optional, e.g. your company&apos;s name</source>
        <translation>Optional, z. B. der Name Ihres Unternehmens</translation>
    </message>
    <message>
        <source>Send Test &amp;Email…</source>
        <translation>Test-E-Mail s&amp;enden…</translation>
    </message>
    <message>
        <source>Send a test email</source>
        <translation>Eine Test-E-Mail senden</translation>
    </message>
    <message>
        <source>Sends one message with the settings as entered, before saving.</source>
        <translation>Sendet eine Nachricht mit den eingegebenen Einstellungen, noch vor dem Speichern.</translation>
    </message>
    <message>
        <source>Test email result</source>
        <translation>Ergebnis der Test-E-Mail</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>Se&amp;curity:</source>
        <translation>&amp;Verschlüsselung:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>CA cer&amp;tificates:</source>
        <translation>CA-Zer&amp;tifikate:</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>Sender &amp;address:</source>
        <translation>Absender&amp;adresse:</translation>
    </message>
    <message>
        <source>Sender &amp;name:</source>
        <translation>Absender&amp;name:</translation>
    </message>
    <message>
        <source>Not needed without a user name</source>
        <translation>Ohne Benutzername nicht nötig</translation>
    </message>
    <message>
        <source>Stored in the keychain; type to replace it</source>
        <translation>Im Schlüsselbund gespeichert; zum Ersetzen neu eingeben</translation>
    </message>
    <message>
        <source>Not stored on this computer</source>
        <translation>Nicht auf diesem Computer gespeichert</translation>
    </message>
    <message>
        <source>%1
The password is not stored: this desktop will ask for it when it sends mail.</source>
        <translation>%1
Das Passwort wird nicht gespeichert: Dieser Arbeitsplatz fragt danach, wenn er E-Mails sendet.</translation>
    </message>
    <message>
        <source>Saving removes the stored password from this computer&apos;s keychain.</source>
        <translation>Beim Speichern wird das gespeicherte Passwort aus dem Schlüsselbund dieses Computers entfernt.</translation>
    </message>
    <message>
        <source>Without a stored password this desktop does not deliver mail; another desktop that has it, or the dispatch service, does.</source>
        <translation>Ohne gespeichertes Passwort stellt dieser Arbeitsplatz keine E-Mails zu; das übernimmt ein anderer Arbeitsplatz, der es hat, oder der Versanddienst.</translation>
    </message>
    <message>
        <source>Choose the CA certificates file</source>
        <translation>CA-Zertifikatsdatei wählen</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Enter the mail server&apos;s host name.</source>
        <translation>Geben Sie den Hostnamen des Mailservers ein.</translation>
    </message>
    <message>
        <source>Enter the sender address.</source>
        <translation>Geben Sie die Absenderadresse ein.</translation>
    </message>
    <message>
        <source>Not sent: enter the password; none is stored on this computer for %1.</source>
        <translation>Nicht gesendet: Geben Sie das Passwort ein; auf diesem Computer ist keines für %1 gespeichert.</translation>
    </message>
    <message>
        <source>Send Test Email</source>
        <translation>Test-E-Mail senden</translation>
    </message>
    <message>
        <source>Send a test message to:</source>
        <translation>Testnachricht senden an:</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>ResellerDesk test email</source>
        <translation>ResellerDesk-Test-E-Mail</translation>
    </message>
    <message>
        <source>This message was sent from the ResellerDesk settings by %1 to check the mail server %2:%3.

If you can read it, ResellerDesk can deliver email.
</source>
        <translation>Diese Nachricht wurde von %1 aus den ResellerDesk-Einstellungen gesendet, um den Mailserver %2:%3 zu prüfen.

Wenn Sie sie lesen können, kann ResellerDesk E-Mails zustellen.
</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Sending a test message to %1…</source>
        <translation>Testnachricht wird an %1 gesendet…</translation>
    </message>
    <message>
        <source>Sent to %1. The server accepted it as Message-ID %2.</source>
        <translation>An %1 gesendet. Der Server hat sie mit der Message-ID %2 angenommen.</translation>
    </message>
</context>
<context>
    <name>rd::TextLimits</name>
    <message numerus="yes">
        <source>%1 may be at most %n characters.</source>
        <translation>
            <numerusform>%1 darf höchstens %n Zeichen lang sein.</numerusform>
            <numerusform>%1 darf höchstens %n Zeichen lang sein.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::UsageImportDialog</name>
    <message>
        <source>Import Usage</source>
        <translation>Nutzung importieren</translation>
    </message>
    <message>
        <source>Imports the metering system&apos;s monthly export: a CSV file with a header row naming the columns customer_id (or domain), month (YYYY-MM) and used. The file is checked first; nothing changes until you choose Import.</source>
        <translation>Importiert den Monatsexport des Messsystems: eine CSV-Datei mit einer Kopfzeile, die die Spalten customer_id (oder domain), month (JJJJ-MM) und used benennt. Die Datei wird zuerst geprüft; nichts ändert sich, bevor Sie „Importieren“ wählen.</translation>
    </message>
    <message>
        <source>Usage file</source>
        <translation>Nutzungsdatei</translation>
    </message>
    <message>
        <source>Choose a CSV file…</source>
        <translation>CSV-Datei wählen…</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Durchs&amp;uchen…</translation>
    </message>
    <message>
        <source>&amp;Check File</source>
        <translation>Datei &amp;prüfen</translation>
    </message>
    <message>
        <source>Refused rows</source>
        <translation>Abgelehnte Zeilen</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose the file to import.</source>
        <translation>Wählen Sie die zu importierende Datei.</translation>
    </message>
    <message>
        <source>%1 is too large for a usage export.</source>
        <translation>%1 ist zu groß für einen Nutzungsexport.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Rows read: %1. Ready to import: %2. Refused: %3 (listed below; they will be skipped).</source>
        <translation>Gelesene Zeilen: %1. Bereit zum Import: %2. Abgelehnt: %3 (unten aufgeführt; sie werden übersprungen).</translation>
    </message>
    <message>
        <source>Rows read: %1. Nothing can be imported. Refused: %2.</source>
        <translation>Gelesene Zeilen: %1. Nichts kann importiert werden. Abgelehnt: %2.</translation>
    </message>
    <message>
        <source>Rows read: %1. Imported: %2. Refused: %3.</source>
        <translation>Gelesene Zeilen: %1. Importiert: %2. Abgelehnt: %3.</translation>
    </message>
</context>
<context>
    <name>rd::UserTableModel</name>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Locked out after failed sign-ins; the lock ends by itself.</source>
        <translation>Nach fehlgeschlagenen Anmeldungen gesperrt; die Sperre endet von selbst.</translation>
    </message>
    <message>
        <source>The vendor: every reseller and customer</source>
        <translation>Der Anbieter: alle Reseller und Kunden</translation>
    </message>
    <message>
        <source>Reseller portal</source>
        <translation>Reseller-Portal</translation>
    </message>
    <message>
        <source>Client account</source>
        <translation>Kundenkonto</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Letzte Anmeldung</translation>
    </message>
</context>
<context>
    <name>rd::UsersPage</name>
    <message>
        <source>Filter users</source>
        <translation>Benutzer filtern</translation>
    </message>
    <message>
        <source>Filter by the start of the email, name or context</source>
        <translation>Nach dem Anfang der E-Mail-Adresse, des Namens oder des Kontexts filtern</translation>
    </message>
    <message>
        <source>Fil&amp;ter:</source>
        <translation>Fil&amp;ter:</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>&amp;New User…</source>
        <translation>&amp;Neuer Benutzer…</translation>
    </message>
    <message>
        <source>Add a user, or give an existing login access to another context</source>
        <translation>Einen Benutzer hinzufügen oder einem bestehenden Zugang Zugriff auf einen weiteren Kontext geben</translation>
    </message>
    <message>
        <source>Change &amp;Role…</source>
        <translation>&amp;Rolle ändern…</translation>
    </message>
    <message>
        <source>Give the selected membership another role</source>
        <translation>Der ausgewählten Mitgliedschaft eine andere Rolle geben</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>Stop the selected memberships from being used; nothing is deleted</source>
        <translation>Die ausgewählten Mitgliedschaften sperren; es wird nichts gelöscht</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>Re&amp;aktivieren</translation>
    </message>
    <message>
        <source>Let the selected memberships be used again</source>
        <translation>Die ausgewählten Mitgliedschaften wieder nutzbar machen</translation>
    </message>
    <message>
        <source>Reset &amp;Password…</source>
        <translation>&amp;Passwort zurücksetzen…</translation>
    </message>
    <message>
        <source>Queue a setup email with a one-time code; the old password stops working</source>
        <translation>Eine Einrichtungs-E-Mail mit Einmalcode in den Postausgang stellen; das alte Passwort funktioniert nicht mehr</translation>
    </message>
    <message numerus="yes">
        <source>Showing %1 of %n memberships</source>
        <translation>
            <numerusform>%1 von %n Mitgliedschaft angezeigt</numerusform>
            <numerusform>%1 von %n Mitgliedschaften angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>1 membership</source>
        <translation>1 Mitgliedschaft</translation>
    </message>
    <message numerus="yes">
        <source>%n memberships</source>
        <translation>
            <numerusform>%n Mitgliedschaft</numerusform>
            <numerusform>%n Mitgliedschaften</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>%1 now has the %2 role in %3.</source>
        <translation>%1 hat jetzt die Rolle %2 in %3.</translation>
    </message>
    <message>
        <source>Reactivate Membership</source>
        <translation>Mitgliedschaft reaktivieren</translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n Memberships</source>
        <translation>
            <numerusform>%n Mitgliedschaft reaktivieren</numerusform>
            <numerusform>%n Mitgliedschaften reaktivieren</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can work in %2 as %3 again (unless the portal or account itself is deactivated).</source>
        <translation>%1 kann wieder als %3 in %2 arbeiten (sofern nicht das Portal oder Konto selbst deaktiviert ist).</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can be used again (unless their portal or account is deactivated).</source>
        <translation>
            <numerusform>Die %n ausgewählte Mitgliedschaft kann wieder genutzt werden (sofern ihr Portal oder Konto nicht deaktiviert ist).</numerusform>
            <numerusform>Die %n ausgewählten Mitgliedschaften können wieder genutzt werden (sofern ihr Portal oder Konto nicht deaktiviert ist).</numerusform>
        </translation>
    </message>
    <message>
        <source>Deactivate Membership</source>
        <translation>Mitgliedschaft deaktivieren</translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n Memberships</source>
        <translation>
            <numerusform>%n Mitgliedschaft deaktivieren</numerusform>
            <numerusform>%n Mitgliedschaften deaktivieren</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 can no longer work in %2 as %3. Nothing is deleted: you can reactivate the membership later. A user with no usable membership left cannot sign in.</source>
        <translation>%1 kann nicht mehr als %3 in %2 arbeiten. Es wird nichts gelöscht: Sie können die Mitgliedschaft später reaktivieren. Ein Benutzer ohne nutzbare Mitgliedschaft kann sich nicht anmelden.</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can no longer be used. Nothing is deleted: you can reactivate them later. A user with no usable membership left cannot sign in.</source>
        <translation>
            <numerusform>Die %n ausgewählte Mitgliedschaft kann nicht mehr genutzt werden. Es wird nichts gelöscht: Sie können sie später reaktivieren. Ein Benutzer ohne nutzbare Mitgliedschaft kann sich nicht anmelden.</numerusform>
            <numerusform>Die %n ausgewählten Mitgliedschaften können nicht mehr genutzt werden. Es wird nichts gelöscht: Sie können sie später reaktivieren. Ein Benutzer ohne nutzbare Mitgliedschaft kann sich nicht anmelden.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>The membership is reactivated.</source>
        <translation>Die Mitgliedschaft ist reaktiviert.</translation>
    </message>
    <message>
        <source>The membership is deactivated.</source>
        <translation>Die Mitgliedschaft ist deaktiviert.</translation>
    </message>
    <message numerus="yes">
        <source>%n memberships reactivated.</source>
        <translation>
            <numerusform>%n Mitgliedschaft reaktiviert.</numerusform>
            <numerusform>%n Mitgliedschaften reaktiviert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n memberships deactivated.</source>
        <translation>
            <numerusform>%n Mitgliedschaft deaktiviert.</numerusform>
            <numerusform>%n Mitgliedschaften deaktiviert.</numerusform>
        </translation>
    </message>
    <message>
        <source>These memberships could not be changed:</source>
        <translation>Diese Mitgliedschaften konnten nicht geändert werden:</translation>
    </message>
    <message>
        <source>Reset Password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>Reset the password of %1 (%2)?</source>
        <translation>Passwort von %1 (%2) zurücksetzen?</translation>
    </message>
    <message>
        <source>A setup email with a one-time code is queued for %1. Their current password stops working at once; they choose a new one with the code. The reset applies to the login, in every context it has access to.</source>
        <translation>Für %1 wird eine Einrichtungs-E-Mail mit Einmalcode in den Postausgang gestellt. Das aktuelle Passwort funktioniert sofort nicht mehr; mit dem Code wird ein neues gewählt. Das Zurücksetzen gilt für den Zugang in jedem Kontext, auf den er Zugriff hat.</translation>
    </message>
    <message>
        <source>&amp;Reset Password</source>
        <translation>Passwort &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>A setup email for %1 is queued. Their old password no longer works.</source>
        <translation>Eine Einrichtungs-E-Mail für %1 steht im Postausgang. Das alte Passwort funktioniert nicht mehr.</translation>
    </message>
    <message>
        <source>No users match “%1”.</source>
        <translation>Kein Benutzer passt zu „%1“.</translation>
    </message>
    <message>
        <source>No users yet — add one with New User…</source>
        <translation>Noch keine Benutzer – fügen Sie einen mit „Neuer Benutzer…“ hinzu</translation>
    </message>
    <message>
        <source>No users yet.</source>
        <translation>Noch keine Benutzer.</translation>
    </message>
</context>
</TS>
