package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes.
const (
	TLSStartTLS = "starttls" // STARTTLS required (the default)
	TLSImplicit = "tls"      // implicit TLS (port 465)
	TLSNone     = "none"     // no encryption: only for a local relay; never send AUTH over it
)

// Default ports and timeout.
const (
	DefaultPortStartTLS = 587
	DefaultPortImplicit = 465
	DefaultPortNone     = 25
	DefaultTimeout      = 30 * time.Second
)

// Config is an SMTP server.
type Config struct {
	Host     string
	Port     int    // default 587 for starttls, 465 for tls, 25 for none
	Username string // AUTH PLAIN when set (never over TLSNone: NewClient returns an error)
	Password string
	TLS      string         // one of the modes; "" means starttls
	RootCAs  *x509.CertPool // nil: the system's; the server certificate is always verified
	Timeout  time.Duration  // per connection (dial, and every exchange after it); default 30s
	HELO     string         // optional; go-mail uses the local host name when empty
}

// ParseURL reads KUNTALASKU_SMTP_URL-style settings: "smtp://user@host:587" (starttls),
// "smtps://user@host:465" (implicit TLS), "smtp+plain://host:25" (TLSNone, explicit opt-out).
// The port defaults by mode. A password in the URL is refused (it would end up in shell
// histories and process lists): the password comes from KUNTALASKU_SMTP_PASSWORD, which the
// caller sets in Config.Password. Errors never quote the URL's user information.
func ParseURL(s string) (Config, error) {
	// Refuse a password before url.Parse. Any ':' before the last '@' is one,
	// even when the password holds '/', '?' or '#' (which would otherwise cut
	// the authority short and let it through).
	if _, rest, ok := strings.Cut(s, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 && strings.Contains(rest[:at], ":") {
			return Config{}, errors.New("mail: the SMTP URL must not contain a password; set KUNTALASKU_SMTP_PASSWORD instead")
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Parse's errors quote parts of the URL; none is repeated here.
		return Config{}, errors.New("mail: invalid SMTP URL; expected smtp://[user@]host[:port], smtps://… or smtp+plain://…")
	}
	var cfg Config
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.TLS = TLSStartTLS
	case "smtps":
		cfg.TLS = TLSImplicit
	case "smtp+plain":
		cfg.TLS = TLSNone
	case "":
		return Config{}, errors.New(`mail: SMTP URL has no scheme (want smtp://, smtps:// or smtp+plain://)`)
	default:
		return Config{}, fmt.Errorf("mail: unsupported SMTP URL scheme %q (want smtp, smtps or smtp+plain)", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return Config{}, errors.New("mail: SMTP URL has no host")
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, fmt.Errorf("mail: SMTP URL must not have a path (%q)", u.Path)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return Config{}, errors.New("mail: SMTP URL must not have a query or fragment")
	}
	cfg.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("mail: invalid SMTP port %q", p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
	}
	if cfg.Username != "" && cfg.TLS == TLSNone {
		return Config{}, errors.New("mail: smtp+plain:// must not have a user: AUTH is never sent without TLS")
	}
	return cfg, nil
}

// LoadCA reads a PEM file of certificates to trust (KUNTALASKU_SMTP_CA) into a pool
// that also contains the system roots (or only the file's if the system pool is unavailable).
// The file must contain at least one certificate, and every CERTIFICATE block must parse.
func LoadCA(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mail: reading CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("mail: CA file %s: certificate %d: %w", path, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("mail: CA file %s contains no PEM certificate", path)
	}
	return pool, nil
}

// Result is the outcome of sending one message.
type Result struct {
	Delivered bool
	Temporary bool   // a temporary failure (4xx, connection error, timeout): worth retrying
	Reply     string // the server's last reply or the error, for the record; never contains the password
	Attempts  int
}

// Retry is the backoff of temporary failures within one send.
type Retry struct {
	Attempts int                                              // total attempts, default 4
	Base     time.Duration                                    // first wait, default 2s
	Max      time.Duration                                    // cap, default 60s
	Sleep    func(ctx context.Context, d time.Duration) error // default: a timer honouring ctx; tests inject
}

// Default retry settings.
const (
	DefaultAttempts = 4
	DefaultBase     = 2 * time.Second
	DefaultMax      = 60 * time.Second
)

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = DefaultAttempts
	}
	if r.Base <= 0 {
		r.Base = DefaultBase
	}
	if r.Max <= 0 {
		r.Max = DefaultMax
	}
	if r.Sleep == nil {
		r.Sleep = sleep
	}
	return r
}

// wait is the pause before attempt n+1 (n ≥ 1 attempts made): Base·2^(n-1), at most Max.
func (r Retry) wait(n int) time.Duration {
	d := r.Base
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Client sends messages over one SMTP server. It holds no connection: every attempt
// dials, sends one message and quits. It is safe for concurrent use.
type Client struct {
	cfg Config
	tls *tls.Config
}

// NewClient checks cfg, fills in its defaults and returns a Client. Its errors never
// contain the password.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: SMTP host is empty")
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	switch cfg.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mail: unknown TLS mode %q (want %q, %q or %q)", cfg.TLS, TLSStartTLS, TLSImplicit, TLSNone)
	}
	if cfg.Port == 0 {
		switch cfg.TLS {
		case TLSImplicit:
			cfg.Port = DefaultPortImplicit
		case TLSNone:
			cfg.Port = DefaultPortNone
		default:
			cfg.Port = DefaultPortStartTLS
		}
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail: invalid SMTP port %d", cfg.Port)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.TLS == TLSNone && (cfg.Username != "" || cfg.Password != "") {
		return nil, errors.New("mail: refusing to send SMTP AUTH credentials without TLS (TLS mode \"none\")")
	}
	if cfg.Username == "" && cfg.Password != "" {
		return nil, errors.New("mail: an SMTP password is set but no user name")
	}
	if strings.ContainsAny(cfg.HELO, "\r\n") {
		return nil, errors.New("mail: HELO name contains a line break")
	}
	return &Client{
		cfg: cfg,
		tls: &tls.Config{
			ServerName: cfg.Host,
			RootCAs:    cfg.RootCAs,
			MinVersion: tls.VersionTLS12,
		},
	}, nil
}

// Send sends m, retrying temporary failures with capped exponential backoff (Base, 2×Base,
// 4×Base…, at most Max) up to r.Attempts attempts in all. It returns the Result; err only
// for an invalid message (then nothing was sent) or when ctx ends (then Result says how far
// it got, Temporary). A delivery failure is a Result, not an error.
//
// A message counts as delivered once the server accepted its DATA (250); an error after
// that (RSET, QUIT) does not make it undelivered. As with any SMTP client, a connection
// lost after the end of DATA but before the reply leaves the outcome unknown; it is then
// treated as a temporary failure and sent again.
func (c *Client) Send(ctx context.Context, m *Message, r Retry) (Result, error) {
	if _, err := build(m); err != nil {
		return Result{}, err
	}
	r = r.withDefaults()
	var res Result
	for {
		if err := ctx.Err(); err != nil {
			res.Temporary = true
			if res.Reply == "" {
				res.Reply = c.redact(err.Error())
			}
			return res, err
		}
		res.Attempts++
		delivered, temp, reply, err := c.attempt(ctx, m)
		if err != nil {
			return res, err // cannot happen: m was built above
		}
		res.Delivered, res.Temporary, res.Reply = delivered, temp, reply
		if err := ctx.Err(); err != nil && !delivered {
			res.Temporary = true
			return res, err
		}
		if delivered || !temp || res.Attempts >= r.Attempts {
			return res, nil
		}
		if err := r.Sleep(ctx, r.wait(res.Attempts)); err != nil {
			return res, err
		}
	}
}

// attempt makes one connection and tries to deliver m over it.
func (c *Client) attempt(ctx context.Context, m *Message) (delivered, temporary bool, reply string, err error) {
	msg, err := build(m)
	if err != nil {
		return false, false, "", err
	}

	// go-mail's own timeout covers only the dial, and its context is not watched after
	// it: our dialer puts a deadline on the connection (go-mail extends it before each
	// message) and closes it when ctx ends, so a server that never answers cannot hang us.
	var (
		conn net.Conn
		stop = func() bool { return false }
	)
	defer func() { stop() }()
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: c.cfg.Timeout}
		raw, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		if err := raw.SetDeadline(time.Now().Add(c.cfg.Timeout)); err != nil {
			raw.Close()
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { raw.Close() })
		conn = raw
		if c.cfg.TLS == TLSImplicit {
			// go-mail skips its own TLS dialer when given a dial function. Return the
			// *tls.Conn itself: go-mail's PLAIN auth checks for it.
			tc := tls.Client(raw, c.tls)
			if err := tc.HandshakeContext(dctx); err != nil {
				raw.Close()
				return nil, err
			}
			conn = tc
		}
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(c.cfg.Port),
		gomail.WithTimeout(c.cfg.Timeout),
		gomail.WithTLSConfig(c.tls),
		gomail.WithDialContextFunc(dial),
	}
	switch c.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(c.cfg.HELO))
	}
	if c.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(c.cfg.Username), gomail.WithPassword(c.cfg.Password))
	}
	gc, err := gomail.NewClient(c.cfg.Host, opts...)
	if err != nil {
		return false, false, "", fmt.Errorf("mail: %s", c.redact(err.Error()))
	}

	sc, err := gc.DialToSMTPClientWithContext(ctx)
	if err != nil {
		if conn != nil {
			conn.Close() // go-mail leaves it open when EHLO or STARTTLS fail
		}
		temp, text := classify(err)
		return false, temp, c.redact(text), nil
	}
	sendErr := gc.SendWithSMTPClient(sc, msg)
	_ = gc.CloseWithSMTPClient(sc)
	if msg.IsDelivered() {
		return true, false, c.redact(strings.TrimSpace("250 " + msg.ServerResponse())), nil
	}
	if sendErr == nil {
		sendErr = errors.New("the message was not delivered and go-mail reported no error")
	}
	temp, text := classify(sendErr)
	return false, temp, c.redact(text), nil
}

// classify tells whether err is worth retrying and gives its text for the record.
//
//   - a reply code from the server: 4xx temporary, anything else permanent;
//   - go-mail's *SendError: IsTemp, or no reply code at all (the connection broke during
//     the transaction), is temporary; a 5xx and a message go-mail could not read are permanent;
//   - TLS and certificate failures are permanent (retrying will not fix them);
//   - network errors (refused, reset, unreachable, timeouts, EOF) are temporary;
//   - anything else (no STARTTLS, no AUTH, a protocol error) is permanent.
func classify(err error) (temporary bool, text string) {
	text = unquoteReplies(err.Error())
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch {
		case se.IsTemp():
			return true, text
		case se.ErrorCode() >= 500:
			return false, text
		case se.Reason == gomail.ErrGetSender || se.Reason == gomail.ErrGetRcpts || se.Reason == gomail.ErrNoUnencoded:
			return false, text
		default:
			return true, text
		}
	}
	if strings.Contains(text, "does not support STARTTLS") {
		return false, "the server does not offer STARTTLS"
	}
	var pe *textproto.Error
	if errors.As(err, &pe) {
		return pe.Code/100 == 4, text
	}
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		hne x509.HostnameError
		cie x509.CertificateInvalidError
		ae  tls.AlertError
		rhe tls.RecordHeaderError
	)
	if errors.As(err, &cve) || errors.As(err, &uae) || errors.As(err, &hne) ||
		errors.As(err, &cie) || errors.As(err, &ae) || errors.As(err, &rhe) {
		return false, text
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return !dnsErr.IsNotFound, text
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return true, text
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, gomail.ErrNoActiveConnection), errors.Is(err, gomail.ErrDeadlineExtendFailed):
		return true, text
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true, text
	}
	return false, text
}

// quotedReply matches a server reply as Go ≥ 1.26 prints a *textproto.Error: the code,
// then the text as a quoted Go string (`451 "4.3.0 try later"`).
var quotedReply = regexp.MustCompile(`\b([2-5][0-9][0-9]) ("(?:[^"\\]|\\.)*")`)

// unquoteReplies turns `451 "4.3.0 try later"` back into the server's own words,
// `451 4.3.0 try later`, unless the text holds control characters.
func unquoteReplies(s string) string {
	return quotedReply.ReplaceAllStringFunc(s, func(m string) string {
		code, quoted, _ := strings.Cut(m, " ")
		text, err := strconv.Unquote(quoted)
		if err != nil || strings.IndexFunc(text, unicode.IsControl) >= 0 {
			return m
		}
		return code + " " + text
	})
}

// redact removes the password, and the AUTH PLAIN blob that carries it, from s.
// go-mail does not put either into its errors (its debug log, which stays off, redacts
// AUTH too); this is a second line of defence.
func (c *Client) redact(s string) string {
	p := c.cfg.Password
	if p == "" {
		return s
	}
	blob := "\x00" + c.cfg.Username + "\x00" + p
	for _, secret := range []string{
		p,
		base64.StdEncoding.EncodeToString([]byte(blob)),
		base64.StdEncoding.EncodeToString([]byte(p)),
	} {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}
