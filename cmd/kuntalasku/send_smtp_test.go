package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/output/mail/mailtest"
)

// smtpCase is January invoiced from a copy of the example whose [smtp] waits
// only milliseconds between attempts, and an SMTP server on loopback with
// STARTTLS and AUTH that the environment points send to.
type smtpCase struct {
	config, out string
	server      *mailtest.Server
	env         map[string]string
}

func newSMTPCase(t *testing.T) *smtpCase {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(exampleDir)); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "kuntalasku.toml")
	f, err := os.OpenFile(config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n[smtp]\nattempts = 3\nbackoff = \"10ms\"\nbackoff_max = \"40ms\"\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cert := mailtest.NewCert(t, "127.0.0.1")
	server := mailtest.Start(t, mailtest.Options{Cert: cert, User: "invoicer", Pass: "pa55-WORD-secret"})
	c := &smtpCase{config: config, out: filepath.Join(dir, "out"), server: server, env: map[string]string{
		"KUNTALASKU_SMTP_URL": server.URL(), "KUNTALASKU_SMTP_PASSWORD": "pa55-WORD-secret", "KUNTALASKU_SMTP_CA": cert.WritePEM(t),
	}}
	runCycle(t, config, c.out, 1)
	return c
}

func (c *smtpCase) send(t *testing.T, args ...string) result {
	t.Helper()
	r := run(t, c.env, append([]string{"send", "--config", c.config, "--out", c.out}, args...)...)
	if strings.Contains(r.stdout+r.stderr, "pa55-WORD-secret") {
		t.Error("the password is in the output")
	}
	return r
}

// messageIDs are the Message-IDs of what the server received; it fails the
// test on a message received twice.
func (c *smtpCase) messageIDs(t *testing.T) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range c.server.Received() {
		id := parseMessage(t, m.Data).MessageID
		if ids[id] {
			t.Errorf("%s was received twice", id)
		}
		ids[id] = true
		if !m.TLS || m.User != "invoicer" {
			t.Errorf("%s arrived without TLS or AUTH", id)
		}
	}
	return ids
}

// TestSendRetried: the server answers 451 to the first recipient; the
// message is sent again after the backoff and arrives exactly once.
func TestSendRetried(t *testing.T) {
	c := newSMTPCase(t)
	c.server.FailRcpt(1)
	r := c.send(t)
	if r.code != 0 {
		t.Fatalf("send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if ids := c.messageIDs(t); len(ids) != 25 {
		t.Errorf("%d messages received, want 25", len(ids))
	}
	if n := c.server.Conns(); n != 26 {
		t.Errorf("%d connections, want 26: one message for each payer, the first twice", n)
	}
	var msgs []received
	for _, m := range c.server.Received() {
		msgs = append(msgs, parseMessage(t, m.Data))
	}
	checkMessages(t, c.out, msgs)
}

// TestSendRejected: a 550 for one payer's address is recorded as failed and
// send exits 4; the next send tries that payer only; once the address works,
// it is delivered and send exits 0.
func TestSendRejected(t *testing.T) {
	c := newSMTPCase(t)
	c.server.RejectRcptTo("laskut@aura.example.fi")
	r := c.send(t)
	if r.code != exitUndelivered || !strings.Contains(r.stdout, "550") || !strings.Contains(r.stderr, "1 documents remain undelivered") {
		t.Fatalf("send: exit %d, want 4\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(c.messageIDs(t)); n != 24 {
		t.Fatalf("%d messages received, want 24", n)
	}
	r = c.send(t)
	if r.code != exitUndelivered || strings.Count(r.stdout, "\n019 Aura") != 1 || strings.Contains(r.stdout, "Kaarina") {
		t.Errorf("second send: exit %d, want Aura only, again refused\n%s", r.code, r.stdout)
	}
	c.server.RejectRcptTo("")
	if r := c.send(t); r.code != 0 {
		t.Errorf("third send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	ids := c.messageIDs(t)
	if len(ids) != 25 || !ids["<vsa-2021-000001.019.3@example.fi>"] {
		t.Errorf("%d messages; Aura's third attempt %v", len(ids), ids["<vsa-2021-000001.019.3@example.fi>"])
	}
	if r := c.send(t); r.code != 0 || !strings.Contains(r.stdout, "Nothing to send") {
		t.Errorf("a send after everything is delivered: exit %d\n%s", r.code, r.stdout)
	}
	// The ledger shows Aura's three attempts.
	r = run(t, nil, "ledger", "--config", c.config, "--out", c.out, "show", "VSA-2021-000001")
	for _, want := range []string{"failed", "550", "delivered", "laskut@aura.example.fi", "<vsa-2021-000001.019.3@example.fi>"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("ledger show lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Count(r.stdout, "smtp") != 3 {
		t.Errorf("ledger show: want three attempts:\n%s", r.stdout)
	}
}

// TestSendKilled kills send with SIGKILL after its first message was
// delivered and recorded: the next send delivers each remaining message
// once. Killed after an attempt was recorded but before the message went out,
// the attempt is reported as uncertain and not sent again by itself.
func TestSendKilled(t *testing.T) {
	t.Run("delivered", func(t *testing.T) {
		c := newSMTPCase(t)
		args := []string{"send", "--config", c.config, "--out", c.out}
		killCommandAt(t, "delivered", envList(c.env), args...)
		if n := len(c.messageIDs(t)); n != 1 {
			t.Fatalf("%d messages before the kill, want 1", n)
		}
		if r := c.send(t); r.code != 0 || strings.Count(r.stdout, " 250 ") != 24 {
			t.Errorf("send after the kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if n := len(c.messageIDs(t)); n != 25 {
			t.Errorf("%d messages in all, want 25", n)
		}
	})
	t.Run("sending", func(t *testing.T) {
		c := newSMTPCase(t)
		args := []string{"send", "--config", c.config, "--out", c.out}
		killCommandAt(t, "sending", envList(c.env), args...)
		r := c.send(t)
		if r.code != exitUndelivered || !strings.Contains(r.stdout, "VSA-2021-000001: an earlier send was interrupted") {
			t.Errorf("send after the kill: exit %d, want 4 naming the interrupted attempt\n%s%s", r.code, r.stdout, r.stderr)
		}
		if n := len(c.messageIDs(t)); n != 24 {
			t.Errorf("%d messages, want 24: the interrupted one is not sent again", n)
		}
	})
}

// envList is env as NAME=value pairs.
func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}
