package mailtest_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/output/mail"
	"github.com/kuntalasku/kuntalasku/output/mail/mailtest"
)

const (
	user = "laskutus@kunta.example.fi" // an '@' in the user name must survive URL()
	pass = "s3cr3t-PASSWORD"
)

func message(to ...string) *mail.Message {
	return &mail.Message{
		From:      "laskutus@example.fi",
		To:        to,
		Subject:   "Lasku",
		Body:      "Hei.\n",
		MessageID: "kuntalasku.test.1@example.fi",
		Date:      time.Date(2021, 2, 3, 9, 30, 0, 0, time.UTC),
	}
}

// client is a mail.Client configured the way cmd/kuntalasku configures one: from the
// server's URL, the password and the CA file.
func client(t *testing.T, s *mailtest.Server, caFile string) *mail.Client {
	t.Helper()
	cfg, err := mail.ParseURL(s.URL())
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", s.URL(), err)
	}
	if cfg.Username != "" {
		cfg.Password = pass
	}
	if caFile != "" {
		if cfg.RootCAs, err = mail.LoadCA(caFile); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Timeout = 5 * time.Second
	c, err := mail.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func send(t *testing.T, c *mail.Client, m *mail.Message) mail.Result {
	t.Helper()
	res, err := c.Send(context.Background(), m, mail.Retry{Attempts: 1})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	return res
}

func TestURL(t *testing.T) {
	cert := mailtest.NewCert(t, "127.0.0.1")
	for _, tc := range []struct {
		name    string
		opts    mailtest.Options
		prefix  string
		wantTLS string
		user    string
	}{
		{"starttls", mailtest.Options{Cert: cert, User: user, Pass: pass}, "smtp://laskutus%40kunta.example.fi@127.0.0.1:", mail.TLSStartTLS, user},
		{"implicit", mailtest.Options{Cert: cert, Implicit: true, User: user, Pass: pass}, "smtps://laskutus%40kunta.example.fi@127.0.0.1:", mail.TLSImplicit, user},
		{"starttls without AUTH", mailtest.Options{Cert: cert}, "smtp://127.0.0.1:", mail.TLSStartTLS, ""},
		{"plain", mailtest.Options{}, "smtp+plain://127.0.0.1:", mail.TLSNone, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mailtest.Start(t, tc.opts)
			if u := s.URL(); !strings.HasPrefix(u, tc.prefix) || strings.Contains(u, pass) {
				t.Errorf("URL() = %q, want the prefix %q", u, tc.prefix)
			}
			cfg, err := mail.ParseURL(s.URL())
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != s.Host() || cfg.Port != s.Port() || cfg.TLS != tc.wantTLS || cfg.Username != tc.user {
				t.Errorf("ParseURL(%q) = %+v", s.URL(), cfg)
			}
			if want := "127.0.0.1:" + strings.TrimPrefix(s.URL(), tc.prefix); s.Addr() != want {
				t.Errorf("Addr() = %q, want %q", s.Addr(), want)
			}

			var caFile string
			if tc.opts.Cert != nil {
				caFile = tc.opts.Cert.WritePEM(t)
			}
			res := send(t, client(t, s, caFile), message("faktura@aura.example.fi"))
			if !res.Delivered {
				t.Fatalf("not delivered: %+v", res)
			}
			got := s.Received()
			if len(got) != 1 || got[0].TLS != (tc.opts.Cert != nil) || got[0].User != tc.user ||
				got[0].From != "laskutus@example.fi" || !reflect.DeepEqual(got[0].To, []string{"faktura@aura.example.fi"}) {
				t.Errorf("received %+v", got)
			}
		})
	}
}

func TestCert(t *testing.T) {
	cert := mailtest.NewCert(t, "127.0.0.1", "localhost")
	p := cert.PEM()
	if !strings.HasPrefix(string(p), "-----BEGIN CERTIFICATE-----\n") || strings.Contains(string(p), "PRIVATE KEY") {
		t.Errorf("PEM() = %q", p)
	}
	p[0] = 'X' // a copy
	path := cert.WritePEM(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(cert.PEM()) {
		t.Errorf("WritePEM wrote %q", data)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block")
	}
	parsed, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"127.0.0.1", "localhost"} {
		if _, err := parsed.Verify(x509.VerifyOptions{Roots: cert.Pool(), DNSName: name}); err != nil {
			t.Errorf("the pool does not trust the certificate for %s: %v", name, err)
		}
	}
	if _, err := parsed.Verify(x509.VerifyOptions{Roots: mailtest.NewCert(t, "localhost").Pool(), DNSName: "localhost"}); err == nil {
		t.Error("another certificate's pool trusts this one")
	}

	// Without the certificate, the client refuses the server.
	s := mailtest.Start(t, mailtest.Options{Cert: cert, User: user, Pass: pass})
	if res := send(t, client(t, s, ""), message("faktura@aura.example.fi")); res.Delivered || !strings.Contains(res.Reply, "certificate") {
		t.Errorf("untrusted: %+v", res)
	}
	if s.Conns() != 1 || s.AuthAttempts() != 0 || len(s.Received()) != 0 {
		t.Errorf("conns %d, auth attempts %d, received %d", s.Conns(), s.AuthAttempts(), len(s.Received()))
	}
}

func TestRejectRcptTo(t *testing.T) {
	cert := mailtest.NewCert(t, "127.0.0.1")
	s := mailtest.Start(t, mailtest.Options{Cert: cert, User: user, Pass: pass})
	s.RejectRcptTo("Faktura@Aura.Example.fi")
	c := client(t, s, cert.WritePEM(t))

	for i := 0; i < 2; i++ { // every time, not once
		res := send(t, c, message("kirjanpito@aura.example.fi", "faktura@aura.example.fi"))
		if res.Delivered || res.Temporary || !strings.Contains(res.Reply, "550 5.1.1") {
			t.Errorf("attempt %d: %+v, want the 550 5.1.1", i+1, res)
		}
	}
	if n := len(s.Received()); n != 0 {
		t.Fatalf("%d messages received", n)
	}
	if res := send(t, c, message("kirjanpito@aura.example.fi")); !res.Delivered {
		t.Fatalf("other address: %+v", res)
	}
	got := s.Received()
	if len(got) != 1 || !reflect.DeepEqual(got[0].To, []string{"kirjanpito@aura.example.fi"}) {
		t.Fatalf("received %+v", got)
	}
	got[0].To[0], got[0].Data[0] = "changed", 'X' // Received returns copies
	if again := s.Received(); again[0].To[0] != "kirjanpito@aura.example.fi" || again[0].Data[0] == 'X' {
		t.Errorf("Received shares its slices: %+v", again[0])
	}

	// A later call replaces the address; "" rejects none.
	s.RejectRcptTo("kirjanpito@aura.example.fi")
	if res := send(t, c, message("faktura@aura.example.fi")); !res.Delivered {
		t.Errorf("the replaced address: %+v", res)
	}
	if res := send(t, c, message("KIRJANPITO@aura.example.fi")); res.Delivered || !strings.Contains(res.Reply, "550 5.1.1") {
		t.Errorf("the new address: %+v", res)
	}
	s.RejectRcptTo("")
	if res := send(t, c, message("kirjanpito@aura.example.fi", "faktura@aura.example.fi")); !res.Delivered {
		t.Errorf("after RejectRcptTo(\"\"): %+v", res)
	}
	if n := len(s.Received()); n != 3 {
		t.Errorf("%d messages received, want 3", n)
	}
	if s.AuthAttempts() != 6 || s.Conns() != 6 {
		t.Errorf("auth attempts %d, conns %d, want 6 and 6", s.AuthAttempts(), s.Conns())
	}
}

func TestFailures(t *testing.T) {
	s := mailtest.Start(t, mailtest.Options{})
	c := client(t, s, "")
	m := message("faktura@aura.example.fi")

	s.FailRcpt(1)
	if res := send(t, c, m); res.Delivered || !res.Temporary || !strings.Contains(res.Reply, "451 4.3.0") {
		t.Errorf("FailRcpt: %+v", res)
	}
	s.FailData(1)
	if res := send(t, c, m); res.Delivered || !res.Temporary || !strings.Contains(res.Reply, "451 4.3.0") {
		t.Errorf("FailData: %+v", res)
	}
	s.RejectRcpt(true)
	if res := send(t, c, m); res.Delivered || res.Temporary || !strings.Contains(res.Reply, "550") {
		t.Errorf("RejectRcpt: %+v", res)
	}
	s.RejectRcpt(false)
	s.DropAfterOK(true)
	if res := send(t, c, m); !res.Delivered {
		t.Errorf("DropAfterOK: %+v", res)
	}
	s.DropAfterOK(false)
	if res := send(t, c, m); !res.Delivered {
		t.Errorf("after all: %+v", res)
	}
	if n := len(s.Received()); n != 2 {
		t.Errorf("%d messages received, want 2", n)
	}
}

func TestHangingAndClosedPort(t *testing.T) {
	host, port := mailtest.Hanging(t)
	c, err := mail.NewClient(mail.Config{Host: host, Port: port, TLS: mail.TLSNone, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res := send(t, c, message("faktura@aura.example.fi")); res.Delivered || !res.Temporary || !strings.Contains(res.Reply, "timeout") {
		t.Errorf("hanging: %+v", res)
	}
	c, err = mail.NewClient(mail.Config{Host: "127.0.0.1", Port: mailtest.ClosedPort(t), TLS: mail.TLSNone, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res := send(t, c, message("faktura@aura.example.fi")); res.Delivered || !res.Temporary || !strings.Contains(res.Reply, "refused") {
		t.Errorf("closed port: %+v", res)
	}
}
