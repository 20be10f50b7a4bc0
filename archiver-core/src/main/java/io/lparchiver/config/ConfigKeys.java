package io.lparchiver.config;

import static io.lparchiver.config.ConfigKey.choice;
import static io.lparchiver.config.ConfigKey.optional;
import static io.lparchiver.config.ConfigKey.required;
import static io.lparchiver.config.ConfigKey.withDefault;

import io.lparchiver.config.ConfigKey.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every configuration key lp-archiver accepts. Anything else in a config file is an error. */
public final class ConfigKeys {

  public static final String DEFAULT_FOLDER = "LivePerson Conversational Cloud DataParser";

  public static final List<ConfigKey> ALL =
      List.of(
          required(
              "source.liveperson.account",
              Type.STRING,
              "LivePerson account (site) id, digits only, e.g. \"12345678\"."),
          withDefault(
              "source.liveperson.domainApi",
              Type.URI,
              "https://api.liveperson.net",
              "Domain API (service discovery) base URL. Point it at `simulate liveperson` to try"
                  + " lp-archiver without an account."),
          withDefault(
              "source.liveperson.allowedHosts",
              Type.HOST_LIST,
              "[liveperson.net]",
              "Hosts the Domain API may name for a LivePerson service (each entry also allows its"
                  + " subdomains). Signed calls go nowhere else, so a poisoned discovery answer"
                  + " cannot send the credentials elsewhere. Only a simulator needs more, e.g."
                  + " `[127.0.0.1]`."),
          choice(
              "source.liveperson.auth.type",
              Type.ENUM,
              "oauth1",
              List.of("oauth1"),
              "How to authenticate to LivePerson. `oauth1`: a LivePerson API key (OAuth 1.0a app"
                  + " key) with the Engagement History permission (Data) and Users permission"
                  + " (Administration)."),
          required("source.liveperson.auth.consumerKey", Type.STRING, "The API key's App key."),
          required("source.liveperson.auth.consumerSecret", Type.SECRET, "The API key's Secret."),
          required("source.liveperson.auth.token", Type.STRING, "The API key's Access token."),
          required(
              "source.liveperson.auth.tokenSecret",
              Type.SECRET,
              "The API key's Access token secret."),
          choice(
              "source.liveperson.channels",
              Type.ENUM_LIST,
              "[messaging]",
              List.of("messaging", "chat"),
              "Which LivePerson histories to archive. `messaging`: Messaging Interactions API."
                  + " `chat`: legacy chat from the Engagement History API (same app key"
                  + " permission). Each channel keeps its own checkpoint."),
          optional(
              "source.liveperson.backfillFrom",
              Type.INSTANT,
              "Archive conversations that started at or after this instant. Default: 13 months"
                  + " before the first run (LivePerson keeps history for 13 months)."),
          withDefault(
              "source.liveperson.sourceName",
              Type.STRING,
              "lp-archiver",
              "The `source` value sent on every LivePerson call (at most 20 characters); lets"
                  + " LivePerson tell this client apart."),
          withDefault(
              "source.liveperson.updateLag",
              Type.DURATION,
              "30m",
              "Safety margin when asking for conversations updated since the previous run."),
          withDefault(
              "source.liveperson.retry.maxAttempts",
              Type.INTEGER,
              "6",
              "Attempts per LivePerson call on 429, 5xx, dropped connections and partial"
                  + " answers, including the first. When they run out the run stops with exit"
                  + " code 1 and the next run resumes from the last checkpoint."),
          withDefault(
              "source.liveperson.retry.initialBackoff",
              Type.DURATION,
              "2s",
              "Wait before the first retry; doubles on each further retry (at most 60 s)."
                  + " A Retry-After from LivePerson is honoured instead."),
          withDefault(
              "source.liveperson.retry.timeout",
              Type.DURATION,
              "120s",
              "Time allowed for one LivePerson answer, from sending the request to the last"
                  + " byte of the body. An answer that stalls longer (no headers, or a body that"
                  + " stops arriving) is abandoned and retried; the attempt counts towards"
                  + " retry.maxAttempts."),
          choice(
              "source.liveperson.files.enabled",
              Type.ENUM,
              "false",
              List.of("false", "true"),
              "Download every file LivePerson hosts for a conversation (images, PDFs the"
                  + " consumer or agent shared) and attach it to the email, its SHA-256 in the"
                  + " ledger. Needs a LivePerson user login (files.login.*): download URLs are"
                  + " signed over the agent messaging websocket. `false`: hosted files are listed"
                  + " by reference only. External links and rich-content images are always listed,"
                  + " never fetched."),
          optional(
              "source.liveperson.files.login.username",
              Type.STRING,
              "Login name of the LivePerson user (agent or bot with the User Login permission and"
                  + " access to every skill) whose Login Service session signs file downloads."
                  + " Required when files.enabled is true."),
          optional(
              "source.liveperson.files.login.password",
              Type.SECRET,
              "That user's password, e.g. ${LP_FILES_PASSWORD}. Required when files.enabled is"
                  + " true."),
          optional(
              "mapping.csv",
              Type.PATH,
              "CSV file of overrides with the header row `participant,mailbox`; participant is a"
                  + " LivePerson user id, pid, login name, consumer id or email."),
          optional(
              "mapping.fallbackMailbox",
              Type.MAILBOX,
              "Mailbox that gets a conversation in which no participant maps to a mailbox. Without"
                  + " it such conversations are dead-lettered as `unmapped` and reported."),
          withDefault(
              "mapping.alwaysCopyTo",
              Type.MAILBOX_LIST,
              "[]",
              "Mailboxes that get a copy of every conversation (e.g. a journal mailbox)."),
          choice(
              "target.type",
              Type.ENUM,
              "maildir",
              List.of("maildir", "imap", "smtp", "graph"),
              "Where to deliver. `maildir`: local Maildir++ folders, served as is by Dovecot."
                  + " `imap`: IMAP APPEND into each mailbox's folder (target.imap.*)."
                  + " `smtp`: submit each copy by SMTP to the mailbox or a journal address"
                  + " (target.smtp.*; at-least-once)."
                  + " `graph`: Microsoft 365 mailboxes through Microsoft Graph (target.graph.*, see"
                  + " docs/microsoft365.md)."),
          withDefault(
              "target.folder",
              Type.STRING,
              DEFAULT_FOLDER,
              "Folder under each mailbox's Inbox that receives the archive copies."),
          withDefault(
              "target.concurrency",
              Type.INTEGER,
              "16",
              "Conversations archived at once. Rendering one overlaps with writing another (an"
                  + " fsync, a Graph or IMAP round trip), so more than the machine's cores pay: a"
                  + " lane spends much of its time waiting. A conversation's versions always stay in"
                  + " order. 1 archives one at a time."),
          withDefault(
              "target.maildir.root",
              Type.PATH,
              "./archive",
              "Folder that holds one Maildir per mailbox, named after the mailbox address."),
          optional(
              "target.graph.tenantId",
              Type.STRING,
              "Microsoft 365: the Entra ID directory (tenant) id, or a verified domain. Required"
                  + " when target.type is graph."),
          optional(
              "target.graph.clientId",
              Type.STRING,
              "Microsoft 365: the application (client) id of the app registration that has the"
                  + " application permissions Mail.ReadWrite and User.Read.All with admin consent."
                  + " Required when target.type is graph."),
          optional(
              "target.graph.clientSecret",
              Type.SECRET,
              "Microsoft 365: a client secret of the app registration. Give either this or"
                  + " target.graph.certificatePath."),
          optional(
              "target.graph.certificatePath",
              Type.PATH,
              "Microsoft 365: PKCS#12 (.pfx/.p12) file with the private key and the certificate"
                  + " whose public part is uploaded to the app registration (preferred over a"
                  + " secret)."),
          optional(
              "target.graph.certificatePassword",
              Type.SECRET,
              "Microsoft 365: password of the PKCS#12 file in target.graph.certificatePath."),
          withDefault(
              "target.graph.authority",
              Type.URI,
              "https://login.microsoftonline.com",
              "Microsoft 365: Entra ID login host (US Gov: https://login.microsoftonline.us;"
                  + " 21Vianet: https://login.chinacloudapi.cn). Tests point it at the Graph"
                  + " simulator."),
          withDefault(
              "target.graph.baseUrl",
              Type.URI,
              "https://graph.microsoft.com/v1.0",
              "Microsoft 365: Graph root including the version (GCC High:"
                  + " https://graph.microsoft.us/v1.0). The token scope is this host's /.default."),
          withDefault(
              "target.graph.maxAttachmentSize",
              Type.INTEGER,
              "157286400",
              "Microsoft 365: largest attachment in bytes (Graph's upload-session limit is 150 MB;"
                  + " lower it when the tenant's message size limit is lower). Larger"
                  + " attachments are stored under archive.overflowDir and replaced by a stub."),
          withDefault(
              "target.graph.requestBudget",
              Type.INTEGER,
              "10000",
              "Microsoft 365: at most this many Graph requests per mailbox in any 10 minutes"
                  + " (Graph's limit per app and mailbox); the archiver waits instead of being"
                  + " throttled."),
          optional("target.imap.host", Type.STRING, "IMAP server name (target.type imap)."),
          optional(
              "target.imap.port",
              Type.INTEGER,
              "IMAP server port. Default: 993 with security `tls`, 143 otherwise."),
          choice(
              "target.imap.security",
              Type.ENUM,
              "tls",
              List.of("tls", "starttls", "none"),
              "`tls` (IMAPS), `starttls` (required, never falls back) or `none` (plaintext: only"
                  + " with target.imap.allowInsecure, for a server on loopback). Certificates are"
                  + " checked against the JVM trust store and the host name."),
          choice(
              "target.imap.allowInsecure",
              Type.ENUM,
              "false",
              List.of("false", "true"),
              "Allow security `none`; the password then crosses the network in clear."),
          choice(
              "target.imap.mode",
              Type.ENUM,
              "per-mailbox",
              List.of("per-mailbox", "shared"),
              "`per-mailbox`: log in as each mailbox (target.imap.loginTemplate) and append to"
                  + " INBOX/<target.folder>. `shared`: log in once as target.imap.username and"
                  + " append to INBOX/<target.folder>/<mailbox>, where the hierarchy separator in"
                  + " the address becomes `,`."),
          optional(
              "target.imap.username",
              Type.STRING,
              "IMAP login (shared mode) or the admin/master user that may log in as every"
                  + " mailbox (per-mailbox mode). Required for imap."),
          optional(
              "target.imap.password",
              Type.SECRET,
              "Password of target.imap.username. Required for imap unless"
                  + " target.imap.oauth2.tokenUrl is set; use ${ENV}."),
          withDefault(
              "target.imap.loginTemplate",
              Type.STRING,
              "{mailbox}*{username}",
              "Per-mailbox login; {mailbox} is the mailbox address, {username} is"
                  + " target.imap.username. The default is Dovecot's master-user syntax"
                  + " (auth_master_user_separator = *)."),
          withDefault(
              "target.imap.connectionsPerMailbox",
              Type.INTEGER,
              "2",
              "At most this many IMAP connections per login at a time. The copies that wait"
                  + " for a mailbox's connections are then appended together, up to 16 in one"
                  + " MULTIAPPEND (RFC 3502) where the server offers it."),
          optional(
              "target.imap.maxIdleConnections",
              Type.INTEGER,
              "Idle IMAP connections kept open across all mailboxes; the least recently used"
                  + " are closed. Default: target.imap.connectionsPerMailbox for every mailbox"
                  + " the run has delivered to (at most 256), so a mailbox is not logged into"
                  + " again for each copy. Set it to keep fewer connections open on the server."),
          withDefault(
              "target.imap.timeout",
              Type.DURATION,
              "60s",
              "Connect, read and write timeout of every IMAP socket."),
          optional(
              "target.imap.maxMessageSize",
              Type.INTEGER,
              "Largest message in bytes to APPEND, besides the server's own APPENDLIMIT (RFC"
                  + " 7889), which is always honoured. Larger attachments are stored under"
                  + " archive.overflowDir and replaced by a stub."),
          optional(
              "target.imap.oauth2.tokenUrl",
              Type.URI,
              "Log in with SASL XOAUTH2 instead of a password: the OAuth 2.0 token endpoint of a"
                  + " client-credentials grant (e.g."
                  + " https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token). The login is"
                  + " target.imap.loginTemplate (use `{mailbox}`); target.imap.password is then"
                  + " not used."),
          optional(
              "target.imap.oauth2.clientId",
              Type.STRING,
              "Application (client) id; required with target.imap.oauth2.tokenUrl."),
          optional(
              "target.imap.oauth2.clientSecret",
              Type.SECRET,
              "Client secret; required with target.imap.oauth2.tokenUrl; use ${ENV}."),
          optional(
              "target.imap.oauth2.scope",
              Type.STRING,
              "Scope to request, e.g. https://outlook.office365.com/.default."),
          optional("target.smtp.host", Type.STRING, "SMTP server name (target.type smtp)."),
          optional(
              "target.smtp.port",
              Type.INTEGER,
              "SMTP server port. Default: 465 with security `tls`, 587 otherwise."),
          choice(
              "target.smtp.security",
              Type.ENUM,
              "starttls",
              List.of("tls", "starttls", "none"),
              "`starttls` (required, never falls back), `tls` (SMTPS) or `none` (plaintext: only"
                  + " with target.smtp.allowInsecure, for a server on loopback)."),
          choice(
              "target.smtp.allowInsecure",
              Type.ENUM,
              "false",
              List.of("false", "true"),
              "Allow security `none`; credentials and mail then cross the network in clear."),
          optional(
              "target.smtp.username",
              Type.STRING,
              "SMTP AUTH user; leave out for a relay that accepts the archiver without AUTH."),
          optional(
              "target.smtp.password", Type.SECRET, "Password of target.smtp.username; use ${ENV}."),
          optional(
              "target.smtp.envelopeFrom",
              Type.MAILBOX,
              "MAIL FROM address (bounces go there). Required for smtp."),
          optional(
              "target.smtp.journalAddress",
              Type.MAILBOX,
              "Send one copy of each conversation version here (a compliance journal) instead"
                  + " of one copy to each mapped mailbox."),
          withDefault(
              "target.smtp.connections",
              Type.INTEGER,
              "2",
              "At most this many SMTP connections at a time."),
          withDefault(
              "target.smtp.timeout",
              Type.DURATION,
              "60s",
              "Connect, read and write timeout of every SMTP socket."),
          withDefault(
              "state.dir",
              Type.PATH,
              "./state",
              "Folder of the SQLite state (ledger, checkpoints, dead letters, runs, audit)."),
          optional(
              "archive.overflowDir",
              Type.PATH,
              "Where attachments over the target's size limit (IMAP APPENDLIMIT, SMTP SIZE,"
                  + " target.graph.maxAttachmentSize) are stored, named by their SHA-256; the"
                  + " email keeps a stub naming the file, its size and hash, and the ledger says"
                  + " `externalised`. Default: `overflow` in state.dir. Back it up with the"
                  + " archive."),
          withDefault(
              "archive.openSnapshotAfter",
              Type.DURATION,
              "24h",
              "An OPEN messaging conversation that started longer ago than this is archived as"
                  + " an interim version (subject `(open)`), and again as a new version whenever"
                  + " it changes or closes; younger open conversations wait. `0s` turns interim"
                  + " versions off: only closed conversations are archived."),
          withDefault(
              "schedule.interval", Type.DURATION, "15m", "How often `run` syncs (used by `run`)."),
          optional(
              "schedule.cron",
              Type.STRING,
              "Instead of `schedule.interval`: when `run` syncs, as a 5-field cron expression in"
                  + " UTC (minute hour day-of-month month day-of-week; `*`, lists, ranges and"
                  + " steps), e.g. `*/15 * * * *` or `0 2 * * 1-5`."),
          withDefault(
              "server.bind",
              Type.STRING,
              "127.0.0.1:8080",
              "host:port of the status page and metrics (used by `run`). A non-loopback address"
                  + " is refused unless `server.token` is set."),
          optional(
              "server.token",
              Type.SECRET,
              "Token that `POST /retry` must carry (form field `token` or header"
                  + " `X-Archiver-Token`); also required to bind beyond loopback. Use ${ENV}."),
          optional(
              "alerts.webhook",
              Type.URI,
              "URL that gets a JSON POST `{\"text\": ...}` (Slack and Teams incoming webhooks"
                  + " accept it) when a run fails, when dead letters appear and when the"
                  + " checkpoint lags more than `alerts.maxLag` (used by `run`)."),
          withDefault(
              "alerts.maxLag",
              Type.DURATION,
              "2h",
              "Alert when the newest archived conversation time is older than this."),
          withDefault(
              "alerts.email.to",
              Type.MAILBOX_LIST,
              "[]",
              "Mailboxes that get each alert by email (the same alerts as alerts.webhook, and a"
                  + " day with no items). Needs alerts.email.from and alerts.email.host."),
          optional("alerts.email.from", Type.MAILBOX, "From address of the alert emails."),
          optional("alerts.email.host", Type.STRING, "SMTP server that sends the alert emails."),
          optional(
              "alerts.email.port",
              Type.INTEGER,
              "SMTP port of alerts.email.host. Default: 465 with security `tls`, 587 otherwise."),
          choice(
              "alerts.email.security",
              Type.ENUM,
              "starttls",
              List.of("tls", "starttls", "none"),
              "As target.smtp.security: `starttls` (required, never falls back), `tls` or"
                  + " `none` (only with alerts.email.allowInsecure, for a relay on loopback)."),
          choice(
              "alerts.email.allowInsecure",
              Type.ENUM,
              "false",
              List.of("false", "true"),
              "Allow security `none`; the password and the alerts then cross the network in"
                  + " clear."),
          optional(
              "alerts.email.username",
              Type.STRING,
              "SMTP AUTH user; leave out for a relay that accepts the archiver without AUTH."),
          optional(
              "alerts.email.password",
              Type.SECRET,
              "Password of alerts.email.username; use ${ENV}."),
          choice(
              "tls.insecureSkipVerify",
              Type.ENUM,
              "false",
              List.of("false", "true"),
              "`true` turns OFF the TLS certificate and host name checks of every connection"
                  + " (LivePerson, Graph, IMAP, SMTP, alerts) and logs a warning: only for a test"
                  + " server with a self-signed certificate. To trust a private CA keep this"
                  + " `false` and start Java with -Djavax.net.ssl.trustStore=<file>."),
          optional(
              "audit.signingKey",
              Type.SECRET,
              "Signs each UTC day's last audit-trail hash, checked by `verify`. Its form chooses"
                  + " the algorithm: a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`;"
                  + " line breaks may be spaces) signs with Ed25519, and `audit public-key` gives"
                  + " auditors the key that checks it; any other text is an HMAC-SHA256 secret."
                  + " Keep it outside the state directory (use ${ENV}). Setting or changing it signs"
                  + " every day again at the next `sync` or `run`. See docs/reliability.md."));

  static final Map<String, ConfigKey> BY_PATH =
      ALL.stream().collect(Collectors.toMap(ConfigKey::path, Function.identity()));

  private ConfigKeys() {}

  static Optional<ConfigKey> find(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }
}
