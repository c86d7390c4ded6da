// Package mailtest is a test helper: an SMTP server on loopback for tests.
//
// [Start] runs an in-process SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 with an
// ephemeral port, optionally with STARTTLS or implicit TLS (with a certificate made by
// [NewCert]) and AUTH PLAIN. It records the messages it accepts ([Server.Received]) and can
// be told to fail or reject commands, so that a client's retry and error handling can be
// tested. Everything is closed by the test's Cleanup.
//
// The package does not import output/mail, so that mail's own tests can use it; it is
// meant to be imported only from _test.go files.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Cert is a self-signed certificate made for one test.
type Cert struct {
	cert tls.Certificate
	pool *x509.CertPool // trusts only this certificate
	pem  []byte
}

// NewCert makes a self-signed server certificate, valid for an hour either side of now,
// for the given names (IP addresses are put in the IP SAN, other names in the DNS SAN).
func NewCert(t testing.TB, names ...string) *Cert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "kuntalasku test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return &Cert{
		cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: parsed},
		pool: pool,
		pem:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}
}

// Pool is a certificate pool that trusts only this certificate.
func (c *Cert) Pool() *x509.CertPool { return c.pool }

// PEM is the certificate (not the key) as a PEM CERTIFICATE block. The caller may modify
// the returned slice.
func (c *Cert) PEM() []byte { return append([]byte(nil), c.pem...) }

// WritePEM writes the certificate as PEM to a new file in t.TempDir() and returns its path
// (for KUNTALASKU_SMTP_CA).
func (c *Cert) WritePEM(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "smtp-ca.pem")
	if err := os.WriteFile(path, c.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Options configure a Server.
type Options struct {
	Cert     *Cert  // nil: no TLS at all (no STARTTLS offered)
	Implicit bool   // TLS from the first byte (smtps) instead of STARTTLS; needs Cert
	User     string // when set, AUTH PLAIN is offered and required before MAIL
	Pass     string
	Insecure bool // offer AUTH without TLS too (go-smtp's AllowInsecureAuth)
}

// Message is one message the server accepted.
type Message struct {
	From string   // the MAIL FROM address
	To   []string // the accepted RCPT TO addresses, in order
	Data []byte   // the DATA, as received (CRLF line ends, dot-unstuffed)
	TLS  bool     // the message came over TLS (STARTTLS or implicit)
	User string   // the user that authenticated, "" without AUTH
}

// Server is an in-process SMTP server on 127.0.0.1. Its methods are safe for concurrent
// use, also while a client is talking to it.
type Server struct {
	host string
	port int
	opts Options

	mu           sync.Mutex
	failRcpt     int    // answer 451 to this many next RCPT commands
	failData     int    // answer 451 to this many next DATA commands
	rejectRcpt   bool   // answer 550 to every RCPT
	rejectTo     string // answer 550 to RCPT TO this address (case-insensitive); "" none
	dropAfterOK  bool   // close the connection right after accepting a message (after the 250)
	authAttempts int
	conns        int // TCP connections accepted
	messages     []Message
}

// Start starts a server on 127.0.0.1 with an ephemeral port. It is closed by t.Cleanup.
// Options.Implicit without a Options.Cert is a test bug and fails the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Implicit && opts.Cert == nil {
		t.Fatal("mailtest: Options.Implicit needs a Cert")
	}
	s := &Server{opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = opts.Insecure
	srv.ErrorLog = log.New(io.Discard, "", 0)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Cert != nil {
		cfg := &tls.Config{Certificates: []tls.Certificate{opts.Cert.cert}, MinVersion: tls.VersionTLS12}
		if opts.Implicit {
			l = tls.NewListener(l, cfg)
		} else {
			srv.TLSConfig = cfg
		}
	}
	addr := l.Addr().(*net.TCPAddr)
	s.host, s.port = addr.IP.String(), addr.Port
	go func() { _ = srv.Serve(countingListener{l, s}) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Host is the server's IP address, "127.0.0.1".
func (s *Server) Host() string { return s.host }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.port }

// Addr is "127.0.0.1:PORT".
func (s *Server) Addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// Options are the options the server was started with.
func (s *Server) Options() Options { return s.opts }

// URL is the server as KUNTALASKU_SMTP_URL writes it: smtp://USER@127.0.0.1:PORT (STARTTLS),
// smtps://USER@127.0.0.1:PORT (implicit TLS) or smtp+plain://127.0.0.1:PORT (no TLS). There
// is no user part when Options.User is "", and never one for smtp+plain (a client must not
// send AUTH without TLS). The user is escaped as a URL user name. The password is never in
// the URL (it goes in KUNTALASKU_SMTP_PASSWORD); the certificate is not trusted by the
// system pool, so a client also needs [Cert.WritePEM] as KUNTALASKU_SMTP_CA.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr()}
	switch {
	case s.opts.Cert == nil:
		u.Scheme = "smtp+plain"
	case s.opts.Implicit:
		u.Scheme = "smtps"
	}
	if s.opts.User != "" && s.opts.Cert != nil {
		u.User = url.User(s.opts.User)
	}
	return u.String()
}

// FailRcpt makes the server answer "451 4.3.0 try later" to the next n RCPT commands
// (replacing any count left from an earlier call).
func (s *Server) FailRcpt(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRcpt = n
}

// FailData makes the server answer "451 4.3.0 try later" to the next n DATA commands
// (replacing any count left from an earlier call).
func (s *Server) FailData(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failData = n
}

// RejectRcpt makes the server answer "550 5.1.1 no such mailbox" to every RCPT command
// (true) or stop doing so (false). FailRcpt's 451s come first.
func (s *Server) RejectRcpt(reject bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = reject
}

// RejectRcptTo makes the server answer "550 5.1.1 no such mailbox" to every RCPT TO addr
// (compared case-insensitively), each time; other recipients are accepted. Only one
// address is rejected: a later call replaces it, and RejectRcptTo("") rejects none again.
// FailRcpt's 451s come first.
func (s *Server) RejectRcptTo(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectTo = addr
}

// DropAfterOK makes the server close the connection right after it has accepted a message
// and written its 250 reply to the DATA (true), or stop doing so (false): the message is
// recorded as received, and the client's next command (RSET or QUIT) fails.
func (s *Server) DropAfterOK(drop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropAfterOK = drop
}

// Received is a copy of the messages accepted so far, in order.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		m.To = append([]string(nil), m.To...)
		m.Data = append([]byte(nil), m.Data...)
		out[i] = m
	}
	return out
}

// Conns is the number of TCP connections accepted so far.
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// AuthAttempts is the number of AUTH PLAIN exchanges so far (successful or not) that got
// as far as checking a user name and password.
func (s *Server) AuthAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authAttempts
}

// countingListener counts the connections a Server accepts.
type countingListener struct {
	net.Listener
	s *Server
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.s.mu.Lock()
		l.s.conns++
		l.s.mu.Unlock()
	}
	return c, err
}

// newSession is called per connection and again after STARTTLS.
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, conn: c}, nil
}

type session struct {
	s        *Server
	conn     *smtp.Conn
	user     string
	from     string
	to       []string
	accepted bool // Data accepted a message (go-smtp then calls Reset after its 250)
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.s.opts.User == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ss.s.mu.Lock()
		ss.s.authAttempts++
		ss.s.mu.Unlock()
		if username != ss.s.opts.User || password != ss.s.opts.Pass {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failRcpt > 0 {
		ss.s.failRcpt--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	noMailbox := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	if ss.s.rejectRcpt || (ss.s.rejectTo != "" && strings.EqualFold(ss.s.rejectTo, to)) {
		return noMailbox
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failData > 0 {
		ss.s.failData--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.messages = append(ss.s.messages, Message{
		From: ss.from, To: append([]string(nil), ss.to...), Data: data, TLS: isTLS, User: ss.user,
	})
	ss.accepted = true
	return nil
}

func (ss *session) Reset() {
	ss.s.mu.Lock()
	drop := ss.s.dropAfterOK && ss.accepted
	ss.s.mu.Unlock()
	if drop {
		ss.conn.Conn().Close() // the 250 has been written: the client's RSET/QUIT will fail
	}
	ss.from, ss.to, ss.accepted = "", nil, false
}

func (ss *session) Logout() error { return nil }

// Hanging starts a TCP listener on 127.0.0.1 that accepts connections and never says
// anything (for timeout tests). It and its connections are closed by t.Cleanup.
func Hanging(t testing.TB) (host string, port int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		conns  []net.Conn
		closed bool
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				c.Close()
			} else {
				conns = append(conns, c)
			}
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		closed = true
		for _, c := range conns {
			c.Close()
		}
	})
	addr := l.Addr().(*net.TCPAddr)
	return addr.IP.String(), addr.Port
}

// ClosedPort is a loopback port nothing listens on (it was free a moment ago; another
// process could take it, which is unlikely within a test).
func ClosedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
