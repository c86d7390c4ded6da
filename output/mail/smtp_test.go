package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/output/mail/mailtest"
	gomail "github.com/wneessen/go-mail"
)

const (
	testUser = "laskutus"
	testPass = "s3cr3t-PASSWORD"
)

// sleeps records the waits of a Retry instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func send(t *testing.T, c *Client, m *Message, attempts int) (Result, []time.Duration) {
	t.Helper()
	var s sleeps
	res, err := c.Send(context.Background(), m, Retry{Attempts: attempts, Base: time.Second, Max: 3 * time.Second, Sleep: s.sleep})
	if err != nil {
		t.Fatalf("Send: unexpected error %v (result %+v)", err, res)
	}
	return res, s.waits()
}

// serverConfig is a client Config for the test server ts that trusts its certificate.
func serverConfig(ts *mailtest.Server) Config {
	cfg := Config{Host: ts.Host(), Port: ts.Port(), Timeout: 5 * time.Second, HELO: "client.test"}
	opts := ts.Options()
	switch {
	case opts.Cert == nil:
		cfg.TLS = TLSNone
	case opts.Implicit:
		cfg.TLS = TLSImplicit
	default:
		cfg.TLS = TLSStartTLS
	}
	if opts.Cert != nil {
		cfg.RootCAs = opts.Cert.Pool()
	}
	return cfg
}

// secureServer offers STARTTLS with a certificate for 127.0.0.1 and requires AUTH PLAIN.
func secureServer(t *testing.T) (*mailtest.Server, Config) {
	cert := mailtest.NewCert(t, "127.0.0.1", "localhost")
	ts := mailtest.Start(t, mailtest.Options{Cert: cert, User: testUser, Pass: testPass})
	cfg := serverConfig(ts)
	cfg.Username, cfg.Password = testUser, testPass
	return ts, cfg
}

func TestSendDelivers(t *testing.T) {
	ts, cfg := secureServer(t)
	m := testMessage()
	res, waits := send(t, newClient(t, cfg), m, 4)
	if !res.Delivered || res.Temporary || res.Attempts != 1 || len(waits) != 0 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.HasPrefix(res.Reply, "250 ") {
		t.Errorf("Reply = %q, want the server's 250 reply", res.Reply)
	}
	got := ts.Received()
	if len(got) != 1 {
		t.Fatalf("%d messages received, want 1", len(got))
	}
	r := got[0]
	if !r.TLS || r.User != testUser {
		t.Errorf("received over TLS=%v as user %q", r.TLS, r.User)
	}
	if r.From != "laskutus@example.fi" {
		t.Errorf("MAIL FROM %q", r.From)
	}
	if want := []string{"faktura@aura.example.fi", "kirjanpito@aura.example.fi"}; !reflect.DeepEqual(r.To, want) {
		t.Errorf("RCPT TO %q, want %q", r.To, want)
	}
	checkMessage(t, parseMessage(t, r.Data), m)

	// What went over the wire is exactly the outbox rendering.
	eml, err := EML(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Data, eml) {
		t.Errorf("DATA (%d bytes) differs from EML (%d bytes)", len(r.Data), len(eml))
	}
}

func TestSendImplicitTLS(t *testing.T) {
	cert := mailtest.NewCert(t, "127.0.0.1")
	ts := mailtest.Start(t, mailtest.Options{Cert: cert, Implicit: true, User: testUser, Pass: testPass})
	cfg := serverConfig(ts)
	cfg.Username, cfg.Password = testUser, testPass
	res, _ := send(t, newClient(t, cfg), testMessage(), 1)
	if !res.Delivered {
		t.Fatalf("not delivered: %+v", res)
	}
	if got := ts.Received(); len(got) != 1 || !got[0].TLS || got[0].User != testUser {
		t.Fatalf("received %d messages (%+v)", len(got), got)
	}

	// Implicit TLS checks the certificate too.
	cfg.RootCAs = nil
	res, _ = send(t, newClient(t, cfg), testMessage(), 3)
	if res.Delivered || res.Temporary || res.Attempts != 1 {
		t.Fatalf("untrusted implicit TLS: %+v", res)
	}
	if n := len(ts.Received()); n != 1 {
		t.Fatalf("%d messages received, want still 1", n)
	}
}

func TestSendPlainRelay(t *testing.T) {
	ts := mailtest.Start(t, mailtest.Options{}) // no TLS at all
	res, _ := send(t, newClient(t, serverConfig(ts)), testMessage(), 1)
	if !res.Delivered {
		t.Fatalf("TLSNone to a plain relay: %+v", res)
	}
	if got := ts.Received(); len(got) != 1 || got[0].TLS {
		t.Fatalf("received %+v", got)
	}
}

func TestSendRequiresSTARTTLS(t *testing.T) {
	// A server without STARTTLS that would even take AUTH in the clear.
	ts := mailtest.Start(t, mailtest.Options{User: testUser, Pass: testPass, Insecure: true})
	cfg := serverConfig(ts)
	cfg.TLS = TLSStartTLS
	cfg.Username, cfg.Password = testUser, testPass
	res, waits := send(t, newClient(t, cfg), testMessage(), 4)
	if res.Delivered || res.Temporary || res.Attempts != 1 || len(waits) != 0 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.Contains(res.Reply, "the server does not offer STARTTLS") {
		t.Errorf("Reply = %q", res.Reply)
	}
	if auths := ts.AuthAttempts(); auths != 0 {
		t.Errorf("the password was offered %d times over plain text", auths)
	}
	if n := len(ts.Received()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestSendVerifiesCertificate(t *testing.T) {
	t.Run("untrusted", func(t *testing.T) {
		ts, cfg := secureServer(t)
		cfg.RootCAs = nil // the system pool does not know the test certificate
		res, waits := send(t, newClient(t, cfg), testMessage(), 4)
		if res.Delivered || res.Temporary || res.Attempts != 1 || len(waits) != 0 {
			t.Fatalf("result %+v, waits %v", res, waits)
		}
		if !strings.Contains(res.Reply, "certificate") {
			t.Errorf("Reply = %q, want a certificate error", res.Reply)
		}
		if auths := ts.AuthAttempts(); auths != 0 || len(ts.Received()) != 0 {
			t.Errorf("auth attempts %d, messages %d", auths, len(ts.Received()))
		}
	})
	t.Run("wrong name", func(t *testing.T) {
		cert := mailtest.NewCert(t, "mail.example.fi") // trusted, but not for 127.0.0.1
		ts := mailtest.Start(t, mailtest.Options{Cert: cert})
		res, _ := send(t, newClient(t, serverConfig(ts)), testMessage(), 4)
		if res.Delivered || res.Temporary || res.Attempts != 1 {
			t.Fatalf("result %+v", res)
		}
		if !strings.Contains(res.Reply, "127.0.0.1") {
			t.Errorf("Reply = %q, want a host name mismatch", res.Reply)
		}
		if len(ts.Received()) != 0 {
			t.Error("delivered")
		}
	})
}

func TestSendWrongPassword(t *testing.T) {
	ts, cfg := secureServer(t)
	cfg.Password = testPass + "-wrong"
	res, waits := send(t, newClient(t, cfg), testMessage(), 4)
	if res.Delivered || res.Temporary || res.Attempts != 1 || len(waits) != 0 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.Contains(res.Reply, "535") {
		t.Errorf("Reply = %q, want the 535", res.Reply)
	}
	if strings.Contains(res.Reply, cfg.Password) {
		t.Errorf("Reply contains the password: %q", res.Reply)
	}
	if auths := ts.AuthAttempts(); auths != 1 || len(ts.Received()) != 0 {
		t.Errorf("auth attempts %d, messages %d", auths, len(ts.Received()))
	}
}

// TestPasswordNeverShown sends with testPass in every way that fails and checks that
// neither the password nor the AUTH PLAIN blob that carries it is in any output.
func TestPasswordNeverShown(t *testing.T) {
	secrets := []string{
		testPass,
		base64.StdEncoding.EncodeToString([]byte("\x00" + testUser + "\x00" + testPass)),
	}
	check := func(t *testing.T, what string, s string) {
		t.Helper()
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s contains the password: %q", what, s)
			}
		}
	}
	wrongUser := func(ts *mailtest.Server, cfg *Config) { cfg.Username = "someone-else" }
	cases := map[string]func(ts *mailtest.Server, cfg *Config){
		"server rejects AUTH": wrongUser,
		"550 after AUTH":      func(ts *mailtest.Server, _ *Config) { ts.RejectRcpt(true) },
		"451 after AUTH":      func(ts *mailtest.Server, _ *Config) { ts.FailData(100) },
		"untrusted":           func(_ *mailtest.Server, cfg *Config) { cfg.RootCAs = nil },
		"refused":             func(_ *mailtest.Server, cfg *Config) { cfg.Port = mailtest.ClosedPort(t) },
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			ts, cfg := secureServer(t)
			setup(ts, &cfg)
			res, err := newClient(t, cfg).Send(context.Background(), testMessage(),
				Retry{Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }})
			if err != nil {
				check(t, "error", err.Error())
			}
			if res.Delivered {
				t.Fatalf("delivered: %+v", res)
			}
			if res.Reply == "" {
				t.Error("empty Reply")
			}
			check(t, "Reply", res.Reply)
			t.Logf("Reply: %s", res.Reply)
		})
	}
	t.Run("no STARTTLS", func(t *testing.T) {
		ts := mailtest.Start(t, mailtest.Options{User: testUser, Pass: testPass, Insecure: true})
		cfg := serverConfig(ts)
		cfg.TLS, cfg.Username, cfg.Password = TLSStartTLS, testUser, testPass
		res, err := newClient(t, cfg).Send(context.Background(), testMessage(), Retry{Attempts: 1})
		if err != nil {
			check(t, "error", err.Error())
		}
		check(t, "Reply", res.Reply)
	})
	t.Run("config errors", func(t *testing.T) {
		for _, cfg := range []Config{
			{Host: "127.0.0.1", TLS: TLSNone, Username: testUser, Password: testPass},
			{Host: "127.0.0.1", Password: testPass},
			{Host: "127.0.0.1", TLS: "bogus", Username: testUser, Password: testPass},
			{Host: "127.0.0.1", Port: 70000, Username: testUser, Password: testPass},
		} {
			_, err := NewClient(cfg)
			if err == nil {
				t.Errorf("NewClient(%+v): no error", cfg)
				continue
			}
			check(t, "NewClient error", err.Error())
		}
	})
}

func TestSendRetriesTemporaryFailure(t *testing.T) {
	for _, where := range []string{"RCPT", "DATA"} {
		t.Run("451 once at "+where, func(t *testing.T) {
			ts, cfg := secureServer(t)
			if where == "RCPT" {
				ts.FailRcpt(1)
			} else {
				ts.FailData(1)
			}
			res, waits := send(t, newClient(t, cfg), testMessage(), 4)
			if !res.Delivered || res.Temporary || res.Attempts != 2 {
				t.Fatalf("result %+v", res)
			}
			if want := []time.Duration{time.Second}; !reflect.DeepEqual(waits, want) {
				t.Errorf("waits %v, want %v", waits, want)
			}
			if n := len(ts.Received()); n != 1 {
				t.Errorf("%d messages received, want exactly 1", n)
			}
			if conns := ts.Conns(); conns != 2 {
				t.Errorf("%d connections, want 2", conns)
			}
		})
	}
	t.Run("451 always", func(t *testing.T) {
		ts, cfg := secureServer(t)
		ts.FailRcpt(1000)
		res, waits := send(t, newClient(t, cfg), testMessage(), 4)
		if res.Delivered || !res.Temporary || res.Attempts != 4 {
			t.Fatalf("result %+v", res)
		}
		// Base, 2×Base, 4×Base capped at Max (3s); no wait after the last attempt.
		if want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}; !reflect.DeepEqual(waits, want) {
			t.Errorf("waits %v, want %v", waits, want)
		}
		if !strings.Contains(res.Reply, "451 4.3.0 try later") {
			t.Errorf("Reply = %q, want the server's 451", res.Reply)
		}
		if n := len(ts.Received()); n != 0 {
			t.Errorf("%d messages received", n)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		ts, cfg := secureServer(t)
		ts.FailData(1000)
		var s sleeps
		res, err := newClient(t, cfg).Send(context.Background(), testMessage(), Retry{Sleep: s.sleep})
		if err != nil || res.Delivered || !res.Temporary || res.Attempts != DefaultAttempts {
			t.Fatalf("result %+v, err %v", res, err)
		}
		if want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}; !reflect.DeepEqual(s.waits(), want) {
			t.Errorf("waits %v, want %v", s.waits(), want)
		}
	})
}

// TestSendDeliveredDespiteLostConnection: once the server has said 250 to the DATA, the
// message is delivered, even if the connection then breaks (go-mail reports an error for
// its RSET); sending it again would deliver it twice.
func TestSendDeliveredDespiteLostConnection(t *testing.T) {
	ts, cfg := secureServer(t)
	ts.DropAfterOK(true)
	res, waits := send(t, newClient(t, cfg), testMessage(), 4)
	if !res.Delivered || res.Attempts != 1 || len(waits) != 0 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.HasPrefix(res.Reply, "250 ") {
		t.Errorf("Reply = %q", res.Reply)
	}
	if n := len(ts.Received()); n != 1 {
		t.Errorf("%d messages received, want 1", n)
	}
}

func TestSendPermanentFailure(t *testing.T) {
	ts, cfg := secureServer(t)
	ts.RejectRcpt(true)
	res, waits := send(t, newClient(t, cfg), testMessage(), 4)
	if res.Delivered || res.Temporary || res.Attempts != 1 || len(waits) != 0 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.Contains(res.Reply, "550") {
		t.Errorf("Reply = %q, want the 550", res.Reply)
	}
	if n := len(ts.Received()); n != 0 {
		t.Errorf("%d messages received", n)
	}
}

func TestSendConnectionRefused(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", Port: mailtest.ClosedPort(t), Timeout: 2 * time.Second}
	res, waits := send(t, newClient(t, cfg), testMessage(), 3)
	if res.Delivered || !res.Temporary || res.Attempts != 3 || len(waits) != 2 {
		t.Fatalf("result %+v, waits %v", res, waits)
	}
	if !strings.Contains(res.Reply, "refused") {
		t.Errorf("Reply = %q", res.Reply)
	}
}

// sendWithin runs Send and fails the test if it has not returned within limit
// (a hanging client must not hang the test run).
func sendWithin(t *testing.T, ctx context.Context, limit time.Duration, c *Client, r Retry) (Result, error) {
	t.Helper()
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := c.Send(ctx, testMessage(), r)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(limit):
		t.Fatalf("Send has not returned after %v", limit)
		return Result{}, nil
	}
}

func TestSendTimeout(t *testing.T) {
	host, port := mailtest.Hanging(t) // accepts, never greets
	cfg := Config{Host: host, Port: port, Timeout: 200 * time.Millisecond}
	res, err := sendWithin(t, context.Background(), 3*time.Second, newClient(t, cfg), Retry{Attempts: 1})
	if err != nil || res.Delivered || !res.Temporary || res.Attempts != 1 {
		t.Fatalf("result %+v, err %v", res, err)
	}
	if !strings.Contains(res.Reply, "timeout") {
		t.Errorf("Reply = %q", res.Reply)
	}
}

func TestSendContextCanceled(t *testing.T) {
	host, port := mailtest.Hanging(t)
	cfg := Config{Host: host, Port: port, Timeout: time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err := sendWithin(t, ctx, 3*time.Second, newClient(t, cfg), Retry{Attempts: 3})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if res.Delivered || !res.Temporary || res.Attempts != 1 {
		t.Errorf("result %+v", res)
	}

	// The default Sleep honours the context too.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := sleep(ctx2, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a canceled context: %v", err)
	}
}

func TestSendInvalidMessage(t *testing.T) {
	ts, cfg := secureServer(t)
	c := newClient(t, cfg)
	for name, mutate := range map[string]func(m *Message){
		"no Message-ID": func(m *Message) { m.MessageID = "" },
		"bad From":      func(m *Message) { m.From = "Laskutus <laskutus@>" },
		"bad To":        func(m *Message) { m.To = append(m.To, "nobody") },
	} {
		m := testMessage()
		mutate(m)
		res, err := c.Send(context.Background(), m, Retry{})
		if err == nil {
			t.Errorf("%s: no error, result %+v", name, res)
		}
		if res.Attempts != 0 || res.Delivered {
			t.Errorf("%s: result %+v", name, res)
		}
	}
	if conns := ts.Conns(); conns != 0 {
		t.Errorf("%d connections for invalid messages", conns)
	}
}

func TestRetryWait(t *testing.T) {
	r := Retry{Base: 2 * time.Second, Max: 60 * time.Second}
	var got []time.Duration
	for n := 1; n <= 8; n++ {
		got = append(got, r.wait(n))
	}
	want := []time.Duration{2, 4, 8, 16, 32, 60, 60, 60}
	for i := range want {
		want[i] *= time.Second
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if d := (Retry{Base: time.Second, Max: time.Second}).wait(100); d != time.Second {
		t.Errorf("wait(100) = %v", d)
	}
}

func TestNewClient(t *testing.T) {
	for _, tc := range []struct {
		cfg      Config
		wantPort int
		wantTLS  string
	}{
		{Config{Host: "mail.example.fi"}, 587, TLSStartTLS},
		{Config{Host: "mail.example.fi", TLS: TLSImplicit}, 465, TLSImplicit},
		{Config{Host: "localhost", TLS: TLSNone}, 25, TLSNone},
		{Config{Host: "mail.example.fi", Port: 2525}, 2525, TLSStartTLS},
	} {
		c, err := NewClient(tc.cfg)
		if err != nil {
			t.Errorf("NewClient(%+v): %v", tc.cfg, err)
			continue
		}
		if c.cfg.Port != tc.wantPort || c.cfg.TLS != tc.wantTLS || c.cfg.Timeout != DefaultTimeout {
			t.Errorf("NewClient(%+v) = %+v", tc.cfg, c.cfg)
		}
		if c.tls.ServerName != tc.cfg.Host || c.tls.InsecureSkipVerify {
			t.Errorf("TLS config %+v", c.tls)
		}
	}
	for _, cfg := range []Config{
		{},
		{Host: "x", TLS: "ssl"},
		{Host: "x", Port: -1},
		{Host: "x", TLS: TLSNone, Username: "u"},
		{Host: "x", HELO: "a\r\nRSET"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("NewClient(%+v): no error", cfg)
		}
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Config
	}{
		{"smtp://laskutus@mail.example.fi:587", Config{Host: "mail.example.fi", Port: 587, Username: "laskutus", TLS: TLSStartTLS}},
		{"smtp://mail.example.fi", Config{Host: "mail.example.fi", TLS: TLSStartTLS}},
		{"SMTP://mail.example.fi/", Config{Host: "mail.example.fi", TLS: TLSStartTLS}},
		{"smtps://laskutus%40kunta.fi@mail.example.fi:465", Config{Host: "mail.example.fi", Port: 465, Username: "laskutus@kunta.fi", TLS: TLSImplicit}},
		{"smtps://[::1]:4650", Config{Host: "::1", Port: 4650, TLS: TLSImplicit}},
		{"smtp+plain://localhost:25", Config{Host: "localhost", Port: 25, TLS: TLSNone}},
		{"smtp+plain://127.0.0.1", Config{Host: "127.0.0.1", TLS: TLSNone}},
	} {
		got, err := ParseURL(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"smtp://laskutus:" + testPass + "@mail.example.fi:587",
		"smtps://laskutus:" + testPass + "@mail.example.fi",
		"smtp://:" + testPass + "@mail.example.fi",
		"smtp://laskutus:%zz" + testPass + "@mail.example.fi", // also malformed
		"smtp://laskutus:a/" + testPass + "@mail.example.fi",  // '/', '?' and '#' in a password
		"smtp://laskutus:a?" + testPass + "@mail.example.fi",
		"smtp://laskutus:a#" + testPass + "@mail.example.fi",
		"smtp://laskutus:" + testPass + "@bad host",
		"http://mail.example.fi",
		"mail.example.fi:587",
		"smtp:mail.example.fi",
		"smtp://",
		"smtp://laskutus@:587",
		"smtp://mail.example.fi:0",
		"smtp://mail.example.fi:99999",
		"smtp://mail.example.fi:port",
		"smtp://mail.example.fi/inbox",
		"smtp://mail.example.fi?tls=no",
		"smtp+plain://laskutus@localhost:25",
		"",
	} {
		cfg, err := ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q) = %+v, want an error", in, cfg)
			continue
		}
		if strings.Contains(err.Error(), testPass) {
			t.Errorf("ParseURL error shows the password: %v", err)
		}
	}
	if _, err := ParseURL("smtp://u:pw@h"); err == nil || !strings.Contains(err.Error(), "KUNTALASKU_SMTP_PASSWORD") {
		t.Errorf("password in URL: %v", err)
	}
}

func TestLoadCA(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadCA(filepath.Join(dir, "missing.pem")); err == nil {
		t.Error("missing file: no error")
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCA(notPEM); err == nil {
		t.Error("non-PEM file: no error")
	}
	badCert := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(badCert, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCA(badCert); err == nil {
		t.Error("unparsable certificate: no error")
	}

	// A real file: the pool trusts the server, and a send through it works.
	cert := mailtest.NewCert(t, "127.0.0.1")
	good := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(good, append([]byte("# the relay's certificate\n"), cert.PEM()...), 0o600); err != nil {
		t.Fatal(err)
	}
	pool, err := LoadCA(good)
	if err != nil {
		t.Fatal(err)
	}
	ts := mailtest.Start(t, mailtest.Options{Cert: cert})
	cfg := serverConfig(ts)
	cfg.RootCAs = pool
	if res, _ := send(t, newClient(t, cfg), testMessage(), 1); !res.Delivered {
		t.Fatalf("with the loaded CA: %+v", res)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		temp bool
	}{
		{"421 at greeting", &textproto.Error{Code: 421, Msg: "4.3.2 shutting down"}, true},
		{"454 at AUTH", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 454, Msg: "4.7.0 try later"}), true},
		{"554 at greeting", &textproto.Error{Code: 554, Msg: "5.7.1 go away"}, false},
		{"no STARTTLS", errors.New(`STARTTLS mode set to: "TLSMandatory", but target host does not support STARTTLS`), false},
		{"no AUTH", errors.New("server does not support SMTP AUTH"), false},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"EOF", io.EOF, true},
		{"timeout", os.ErrDeadlineExceeded, true},
		{"context deadline", context.DeadlineExceeded, true},
		{"no such host", &net.DNSError{Err: "no such host", Name: "smtp.invalid", IsNotFound: true}, false},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "smtp.example.fi", IsTimeout: true}, true},
		{"unknown CA", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, false},
		{"TLS alert", &net.OpError{Op: "remote error", Err: tls.AlertError(42)}, false},
		{"not TLS", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, false},
		{"go-mail: bad sender", &gomail.SendError{Reason: gomail.ErrGetSender}, false},
		{"go-mail: broken during DATA", &gomail.SendError{Reason: gomail.ErrWriteContent}, true},
		{"go-mail: no connection", gomail.ErrNoActiveConnection, true},
		{"unknown", errors.New("something odd"), false},
	} {
		if temp, _ := classify(tc.err); temp != tc.temp {
			t.Errorf("%s: temporary = %v, want %v", tc.name, temp, tc.temp)
		}
	}
	if _, text := classify(errors.New("x: 451 \"4.3.0 try later\", y")); text != "x: 451 4.3.0 try later, y" {
		t.Errorf("unquoted text %q", text)
	}
}

func TestUnquoteReplies(t *testing.T) {
	for in, want := range map[string]string{
		`sending SMTP RCPT TO command: 451 "4.3.0 try later"`:      `sending SMTP RCPT TO command: 451 4.3.0 try later`,
		`550 "5.1.1 \"x\" unknown", 550 "5.1.1 y"`:                 `550 5.1.1 "x" unknown, 550 5.1.1 y`,
		`535 5.7.8 Authentication failed`:                          `535 5.7.8 Authentication failed`,
		`554 "bad\r\nInjected: header"`:                            `554 "bad\r\nInjected: header"`,
		`dial tcp 127.0.0.1:25: connect: connection refused`:       `dial tcp 127.0.0.1:25: connect: connection refused`,
		`250 "2.0.0 Ok: queued as ÄÖ"`:                             `250 2.0.0 Ok: queued as ÄÖ`,
		`affected message ID: <kuntalasku.vsa.2021-01.1.019@x.fi>`: `affected message ID: <kuntalasku.vsa.2021-01.1.019@x.fi>`,
	} {
		if got := unquoteReplies(in); got != want {
			t.Errorf("unquoteReplies(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	c := newClient(t, Config{Host: "h", Username: testUser, Password: testPass})
	blob := base64.StdEncoding.EncodeToString([]byte("\x00" + testUser + "\x00" + testPass))
	got := c.redact("a " + testPass + " b AUTH PLAIN " + blob + " c")
	if strings.Contains(got, testPass) || strings.Contains(got, blob) || !strings.Contains(got, "[redacted]") {
		t.Errorf("redact = %q", got)
	}
	if got := newClient(t, Config{Host: "h"}).redact("nothing " + testPass); got != "nothing "+testPass {
		t.Errorf("redact without a password changed the text: %q", got)
	}
}
