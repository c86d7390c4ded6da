package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// received is a message as a mail client reads it.
type received struct {
	To, From, Subject, MessageID string
	Body                         string
	Attachments                  map[string][]byte
	Order                        []string // the attachments' names in order
}

// parseMessage reads an RFC 5322 message with net/mail and mime/multipart.
func parseMessage(t *testing.T, data []byte) received {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v", err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	r := received{To: msg.Header.Get("To"), From: msg.Header.Get("From"), Subject: subject,
		MessageID: msg.Header.Get("Message-Id"), Attachments: map[string][]byte{}}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("content type %q: %v", mediaType, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(p) // multipart decodes quoted-printable itself
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() == "" {
			r.Body = string(body)
			continue
		}
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			body = decodeBase64(t, body)
		}
		r.Attachments[p.FileName()] = body
		r.Order = append(r.Order, p.FileName())
	}
	return r
}

// emailsOf are the example payers' configured addresses, by payer id.
func emailsOf(t *testing.T, config string) map[string]string {
	t.Helper()
	var c struct {
		Payers []struct {
			ID       string
			Email    []string
			Delivery string
		}
	}
	if _, err := toml.DecodeFile(config, &c); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range c.Payers {
		if p.Delivery != "einvoice" {
			out[p.ID] = strings.Join(p.Email, ", ")
		}
	}
	return out
}

// checkMessages checks that the messages of January's run went to the
// payers' addresses with the documents' files byte for byte: one message per
// payer with e-mail delivery, each with its invoice PDF and Finvoice and the
// appendix.
func checkMessages(t *testing.T, out string, msgs []received) {
	t.Helper()
	folder := filepath.Join(out, schemeFolder, "2021-01")
	m := readRunManifest(t, filepath.Join(folder, "manifest.json"))
	emails := emailsOf(t, exampleConfig)
	if len(msgs) != len(emails) || len(emails) != 25 {
		t.Fatalf("%d messages, %d payers with email delivery; want 25", len(msgs), len(emails))
	}
	appendix, err := os.ReadFile(filepath.Join(folder, "appendix.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]received{}
	for _, r := range msgs {
		for name := range r.Attachments {
			if strings.HasSuffix(name, ".pdf") && name != "appendix.pdf" {
				byNumber[strings.ToUpper(name[:15])] = r
			}
		}
	}
	for _, d := range m.Documents {
		want, ok := emails[d.Payer]
		if !ok {
			continue
		}
		r, ok := byNumber[d.Number]
		if !ok {
			t.Errorf("%s (%s): no message", d.Number, d.Payer)
			continue
		}
		if !strings.Contains(r.To, want) || !strings.Contains(r.Subject, d.Number) {
			t.Errorf("%s: to %q subject %q; want %s", d.Number, r.To, r.Subject, want)
		}
		pdf, err := os.ReadFile(filepath.Join(folder, d.PDF))
		if err != nil {
			t.Fatal(err)
		}
		xml, err := os.ReadFile(filepath.Join(folder, strings.TrimSuffix(d.PDF, ".pdf")+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(d.PDF)
		if !bytes.Equal(r.Attachments[base], pdf) || !bytes.Equal(r.Attachments[strings.TrimSuffix(base, ".pdf")+".xml"], xml) ||
			!bytes.Equal(r.Attachments["appendix.pdf"], appendix) || len(r.Attachments) != 3 {
			t.Errorf("%s: the attachments %v are not the run's files byte for byte", d.Number, r.Order)
		}
		if !strings.Contains(r.Body, d.Reference[len(d.Reference)-5:]) {
			t.Errorf("%s: the body does not give the reference:\n%s", d.Number, r.Body)
		}
	}
}

// TestSendOutbox: with no SMTP server the messages are .eml files in the
// cycle's outbox, owner-only, that open as ordinary messages; each counts as
// delivered, so a second send writes nothing. A dry run writes nothing.
func TestSendOutbox(t *testing.T) {
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	before := treeHashes(t, out)
	r := run(t, nil, "send", "--config", exampleConfig, "--out", out, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "would send 25 messages (outbox)") {
		t.Errorf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after the dry run", treeHashes(t, out), before)

	env := map[string]string{"SOURCE_DATE_EPOCH": "1612166400"}
	r = run(t, env, "send", "--config", exampleConfig, "--out", out)
	if r.code != 0 || strings.Count(r.stdout, "written to outbox/") != 25 {
		t.Fatalf("send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	outbox := filepath.Join(out, schemeFolder, "2021-01", "outbox")
	entries, err := os.ReadDir(outbox)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []received
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(outbox, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if info, err := e.Info(); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
		msgs = append(msgs, parseMessage(t, data))
	}
	checkMessages(t, out, msgs)

	after := treeHashes(t, out)
	if r := run(t, env, "send", "--config", exampleConfig, "--out", out); r.code != 0 || !strings.Contains(r.stdout, "Nothing to send") {
		t.Errorf("second send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after the second send", treeHashes(t, out), after)
	if r := run(t, env, "send", "--config", exampleConfig, "--out", out, "--resend"); r.code != 2 {
		t.Errorf("--resend without --cycle: exit %d, want 2", r.code)
	}

	// run --send invoices February and sends its documents only.
	r = runCycle(t, exampleConfig, out, 2, "--send")
	if strings.Count(r.stdout, "written to outbox/") != 25 || strings.Contains(r.stdout, "VSA-2021-000001") {
		t.Errorf("run --send:\n%s", r.stdout)
	}
	if entries, err := os.ReadDir(filepath.Join(out, schemeFolder, "2021-02", "outbox")); err != nil || len(entries) != 25 {
		t.Errorf("February's outbox: %d files, %v", len(entries), err)
	}
}

// decodeBase64 decodes a base64 body with line breaks.
func decodeBase64(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	return out
}

// postfix is the end-to-end test's mail server, from the environment that
// scripts/postfix-test-server.sh prints; CI always has it.
func postfix(t *testing.T) (env map[string]string, maildir string) {
	t.Helper()
	url, maildir := os.Getenv("KUNTALASKU_TEST_SMTP_URL"), os.Getenv("KUNTALASKU_TEST_MAILDIR")
	if url == "" || maildir == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run the mail server: eval \"$(scripts/postfix-test-server.sh)\" before go test")
		}
		t.Skip("no test mail server: run eval \"$(sudo scripts/postfix-test-server.sh)\" first (CI does)")
	}
	return map[string]string{
		"KUNTALASKU_SMTP_URL":      url,
		"KUNTALASKU_SMTP_PASSWORD": os.Getenv("KUNTALASKU_TEST_SMTP_PASSWORD"),
		"KUNTALASKU_SMTP_CA":       os.Getenv("KUNTALASKU_TEST_SMTP_CA"),
	}, maildir
}

// readMaildir waits until the Maildir holds n new messages (Postfix delivers
// a moment after it accepts) and parses them; it fails after 30 seconds.
func readMaildir(t *testing.T, maildir string, n int) []received {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		entries, err := os.ReadDir(filepath.Join(maildir, "new"))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) >= n || time.Now().After(deadline) {
			var msgs []received
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(maildir, "new", e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				msgs = append(msgs, parseMessage(t, data))
			}
			return msgs
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// emptyMaildir removes the messages earlier tests left in the test Maildir.
func emptyMaildir(t *testing.T, maildir string) {
	t.Helper()
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(maildir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if err := os.Remove(filepath.Join(maildir, sub, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSendPostfix sends January through a real Postfix on loopback with
// STARTTLS and AUTH: 25 messages arrive at the payers' addresses with the
// run's files byte for byte (Turku takes e-invoices only); a second send
// delivers nothing.
func TestSendPostfix(t *testing.T) {
	env, maildir := postfix(t)
	emptyMaildir(t, maildir)
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	r := run(t, env, "send", "--config", exampleConfig, "--out", out)
	if r.code != 0 || strings.Count(r.stdout, " 250 ") != 25 {
		t.Fatalf("send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, env["KUNTALASKU_SMTP_PASSWORD"]) {
		t.Error("the password is in the output")
	}
	msgs := readMaildir(t, maildir, 25)
	checkMessages(t, out, msgs)
	for _, m := range msgs {
		if !strings.HasPrefix(m.MessageID, "<vsa-2021-0000") || !strings.HasSuffix(m.MessageID, ".1@example.fi>") {
			t.Errorf("Message-ID %s", m.MessageID)
		}
	}
	if r := run(t, env, "send", "--config", exampleConfig, "--out", out); r.code != 0 || !strings.Contains(r.stdout, "Nothing to send") {
		t.Errorf("second send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	time.Sleep(500 * time.Millisecond)
	if got := readMaildir(t, maildir, 0); len(got) != 25 {
		t.Errorf("after the second send the Maildir holds %d messages, want 25", len(got))
	}
}
