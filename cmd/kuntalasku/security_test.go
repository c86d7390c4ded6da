package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/kuntalasku/kuntalasku/output/mail/mailtest"
)

// The security tests of issue 16: what a hostile configuration, input or
// environment can and cannot make kuntalasku do, run through the real
// program.

// proc runs kuntalasku as a separate process in the folder dir ("" for the
// test's), with env (NAME=value) added to the environment, and returns what
// a user sees.
func proc(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	// The developer's own mail settings must not reach the program.
	clean := []string{"KUNTALASKU_SMTP_URL=", "KUNTALASKU_SMTP_PASSWORD=", "KUNTALASKU_SMTP_CA="}
	cmd := child(t, append(clean, env...), args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"panic:", "goroutine "} {
		if strings.Contains(stderr.String(), bad) {
			t.Errorf("%v: stderr has %q:\n%s", args, bad, clip(stderr.String()))
		}
	}
	return result{code, stdout.String(), stderr.String()}
}

// editedExample is a copy of the Varsinais-Suomi example (copyExample)
// whose configuration has each (old, new) replacement applied; it returns
// the folder and the configuration's path.
func editedExample(t *testing.T, replace ...string) (dir, config string) {
	t.Helper()
	dir = copyExample(t)
	config = filepath.Join(dir, "kuntalasku.toml")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(replace); i += 2 {
		if !bytes.Contains(data, []byte(replace[i])) {
			t.Fatalf("the example has no %q", replace[i])
		}
		data = sub(data, replace[i], replace[i+1])
	}
	if err := os.WriteFile(config, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, config
}

// tomlString is s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// renamePayer gives payer id of the example copied to dir (by copyExample)
// the names name and nameSV. So that the population file still finds it,
// the file's rows of the payer's old name get its code ("KU322 Kemiönsaari"),
// which comes before names.
func renamePayer(t *testing.T, dir, id, name, nameSV string) {
	t.Helper()
	config := filepath.Join(dir, "kuntalasku.toml")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^id = "` + id + `"\nname = "(.*)"\nname_sv = .*\n`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("the example has no payer %s", id)
	}
	old := string(m[1])
	data = sub(data, string(m[0]), fmt.Sprintf("id = %q\nname = %s\nname_sv = %s\n", id, tomlString(name), tomlString(nameSV)))
	if err := os.WriteFile(config, data, 0o644); err != nil {
		t.Fatal(err)
	}
	popFile := filepath.Join(dir, "population-11re-synthetic.csv")
	pop, err := os.ReadFile(popFile)
	if err != nil {
		t.Fatal(err)
	}
	row := append(append([]byte("\n\""), latin1(old)...), '"', ';')
	if !bytes.Contains(pop, row) {
		t.Fatalf("the population file has no rows of %s", old)
	}
	coded := append(append([]byte("\n\"KU"+id+" "), latin1(old)...), '"', ';')
	if err := os.WriteFile(popFile, bytes.ReplaceAll(pop, row, coded), 0o644); err != nil {
		t.Fatal(err)
	}
}

// portableName matches a file or folder name that is safe everywhere:
// ASCII letters, digits, dot, hyphen and underscore, not starting with a
// dot (a staging folder is hidden only while a command runs).
var portableName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)

// TestFileNamesStayInOutput: payers with names built to escape the output
// folder or to break file names. Each is either refused as invalid
// configuration (exit 3, the payer named, nothing written) or invoiced and
// sent to the outbox with every file strictly inside --out under a
// portable name; nothing appears anywhere else.
func TestFileNamesStayInOutput(t *testing.T) {
	passwd, _ := os.ReadFile("/etc/passwd")
	_, pwnedErr := os.Lstat("/tmp/pwned")
	long := strings.Repeat("Pitkä", 60) // 300 characters
	for _, tc := range []struct {
		about, id, name, nameSV string
	}{
		{"parent folders", "322", "../../../../tmp/pwned", "../../../../tmp/pwned"}, // Kemiönsaari: Swedish documents
		{"dot dot", "019", "..", ".."},
		{"slash and backslash", "202", `a/b\c`, `a/b\c`},
		{"absolute path", "445", "/etc/passwd", "/etc/passwd"}, // Parainen: Swedish documents
		{"a device name", "284", "con", "con"},
		{"300 characters", "304", long, long},
		{"a newline", "400", "Laitila\nX-Injected: yes", "Letala\r\nBcc: evil@example.com"},
		{"control characters", "423", "Lieto\x00\x1b[31m\x7f", "Lundo\t\x08"},
	} {
		t.Run(tc.about, func(t *testing.T) {
			t.Parallel() // separate processes and folders
			// The output folder and the working folder deep in root, so that
			// ../../../.. from the output's subfolders stays in root; the
			// configuration and its inputs in a folder of their own.
			root := t.TempDir()
			cfgDir, config := editedExample(t)
			renamePayer(t, cfgDir, tc.id, tc.name, tc.nameSV)
			out, cwd := filepath.Join(root, "out"), filepath.Join(root, "cwd", "a", "b", "c")
			if err := os.MkdirAll(cwd, 0o755); err != nil {
				t.Fatal(err)
			}
			before, cfgBefore := treeHashes(t, root), treeHashes(t, cfgDir)
			outside := func(step string) {
				t.Helper()
				after := treeHashes(t, root)
				for name, h := range after {
					if !strings.HasPrefix(name, "out"+string(filepath.Separator)) && before[name] != h {
						t.Errorf("%s: %s was written outside the output folder", step, name)
					}
				}
				for name := range before {
					if _, ok := after[name]; !ok {
						t.Errorf("%s: %s was removed", step, name)
					}
				}
				sameTree(t, step+": the configuration's folder", treeHashes(t, cfgDir), cfgBefore)
				if _, err := os.Lstat("/tmp/pwned"); pwnedErr != nil && err == nil {
					t.Errorf("%s: /tmp/pwned was created", step)
				}
				if now, _ := os.ReadFile("/etc/passwd"); !bytes.Equal(now, passwd) {
					t.Errorf("%s: /etc/passwd changed", step)
				}
			}
			r := proc(t, cwd, nil, "run", "--config", config, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out)
			outside("run")
			switch r.code {
			case exitInput:
				msg := errorMessage(r.stderr)
				if !strings.Contains(msg, tc.id) {
					t.Errorf("refused without naming payer %s:\n%s", tc.id, clip(msg))
				}
				if entries, _ := os.ReadDir(out); len(entries) > 0 {
					t.Errorf("refused, yet the output folder holds %d entries", len(entries))
				}
				t.Logf("refused: %s", clip(msg))
				return
			case exitOK:
			default:
				t.Fatalf("run: exit %d, want 0 or 3\n%s%s", r.code, r.stdout, clip(r.stderr))
			}
			r = proc(t, cwd, nil, "send", "--config", config, "--out", out)
			outside("send")
			if r.code != 0 || strings.Count(r.stdout, "written to outbox/") != 25 {
				t.Errorf("send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			var files []string
			err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.Type()&fs.ModeSymlink != 0 {
					t.Errorf("%s is a symbolic link", path)
				}
				rel, err := filepath.Rel(out, path)
				if err != nil || !filepath.IsLocal(rel) && rel != "." {
					t.Errorf("%s is not inside %s", path, out)
				}
				if rel != "." && !portableName.MatchString(d.Name()) || len(d.Name()) > 255 {
					t.Errorf("%q is not a portable file name", rel)
				}
				if !d.IsDir() {
					files = append(files, rel)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The payer's documents are there, under a name made of its
			// number, code and what is left of its name; its Finvoice is
			// well-formed XML and its message has only the headers it should.
			ofPayer := regexp.MustCompile(`^vsa-2021-\d{6}-` + tc.id + `[-.]`)
			var mine []string
			for _, f := range files {
				if !ofPayer.MatchString(filepath.Base(f)) {
					continue
				}
				mine = append(mine, f)
				data, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(f) {
				case ".xml":
					for d := xml.NewDecoder(bytes.NewReader(data)); ; {
						if _, err := d.Token(); err == io.EOF {
							break
						} else if err != nil {
							t.Errorf("%s is not well-formed XML: %v", f, err)
							break
						}
					}
				case ".eml":
					msg, err := netmail.ReadMessage(bytes.NewReader(data))
					if err != nil {
						t.Errorf("%s: %v", f, err)
						break
					}
					for k := range msg.Header {
						if !slices.Contains([]string{"From", "Reply-To", "To", "Subject", "Message-Id", "Date", "Mime-Version", "Content-Type", "User-Agent", "X-Mailer"}, k) {
							t.Errorf("%s: unexpected header %s: %q", f, k, msg.Header[k])
						}
					}
				}
			}
			if len(mine) != 3 { // invoices/….pdf, invoices/….xml, outbox/….eml
				t.Errorf("payer %s's files: %v, want its PDF, Finvoice and message", tc.id, mine)
			}
			t.Logf("%d files, the payer's %v", len(files), mine)
		})
	}
}

// isLedgerFile reports whether rel (relative to the output folder) is the
// ledger database or one of its companions, which change legitimately.
func isLedgerFile(rel string) bool {
	return regexp.MustCompile(`^ledger\.sqlite(-wal|-shm|-journal|\.lock)?$`).MatchString(rel)
}

// TestIssuedDocumentsNeverChange: once written, no document of the output
// folder changes by a byte, whatever command comes after: the same run
// again, the next cycle, a refused run with other inputs, a correction,
// send, the ledger's reports, validate and estimate. New files may appear;
// the ledger database changes (excluded) and its audit passes at the end.
func TestIssuedDocumentsNeverChange(t *testing.T) {
	c := newCorrectionCase(t) // January of the example, invoiced to c.out
	out, cfg := c.out, exampleConfig
	frozen := map[string]string{}
	freeze := func() {
		for rel, h := range treeHashes(t, out) {
			if isLedgerFile(rel) || strings.HasPrefix(rel, filepath.Join(schemeFolder, "estimate-")) {
				continue
			}
			if _, ok := frozen[rel]; !ok {
				frozen[rel] = h
			}
		}
	}
	check := func(step string, r result, wantCode int) {
		t.Helper()
		if r.code != wantCode {
			t.Errorf("%s: exit %d, want %d\n%s%s", step, r.code, wantCode, clip(r.stdout), clip(r.stderr))
		}
		now := treeHashes(t, out)
		for rel, h := range frozen {
			switch got, ok := now[rel]; {
			case !ok:
				t.Errorf("after %s: %s is gone", step, rel)
			case got != h:
				t.Errorf("after %s: %s changed", step, rel)
			}
		}
		freeze()
	}
	freeze()
	if len(frozen) < 50 {
		t.Fatalf("January's run left only %d files", len(frozen))
	}
	env := map[string]string{"SOURCE_DATE_EPOCH": "1612166400"}
	check("run 2021-01 again", run(t, env, runArgs(1, out)...), 0)
	check("run 2021-01 with other activities", run(t, env, append(runArgs(1, out), c.corrected...)...), exitInput)
	check("run 2021-02", run(t, env, runArgs(2, out)...), 0)
	check("correct 2021-01", c.correct(t, "2021-03-02", c.corrected...), 0)
	check("correct 2021-01 again", c.correct(t, "2021-03-02", c.corrected...), 0)
	check("correct 2021-01 --dry-run", c.correct(t, "2021-03-02", append(c.corrected, "--dry-run", "--payer", "019")...), 0)
	check("send", run(t, env, "send", "--config", cfg, "--out", out), 0)
	check("send again", run(t, env, "send", "--config", cfg, "--out", out), 0)
	check("run 2021-03 --send", run(t, env, append(runArgs(3, out), "--send")...), 0)
	check("ledger list", run(t, nil, "ledger", "--config", cfg, "--out", out, "list"), 0)
	check("ledger show", run(t, nil, "ledger", "--config", cfg, "--out", out, "show", "VSA-2021-000001"), 0)
	check("validate", run(t, nil, "validate", "--config", cfg, "--cycle", "2021-01"), 0)
	check("estimate", run(t, env, "estimate", "--config", cfg, "--out", out), 0)
	check("estimate again", run(t, env, "estimate", "--config", cfg, "--out", out), 0)
	r := run(t, nil, "ledger", "--config", cfg, "--out", out, "audit")
	check("ledger audit", r, 0)
	if !strings.Contains(r.stdout, "Audit passed") {
		t.Errorf("ledger audit:\n%s", r.stdout)
	}
	t.Logf("%d files checked after every command", len(frozen))
}

// mode is the permission bits of path ("missing" when there is none).
func mode(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "missing"
	}
	return fmt.Sprintf("%04o", fi.Mode().Perm())
}

// TestOwnerOnlyPermissions: with the usual umask (022, which lets everyone
// read what a program creates with 0666 or 0777), the ledger and the outbox
// hold personal data and must be readable by their owner only: the database
// and any companion of it (journal, WAL, shared memory, lock) 0600, the
// outbox folder 0700, each message 0600. The modes of the documents and
// their folders are reported.
func TestOwnerOnlyPermissions(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	out := t.TempDir()
	ownerOnly := func(when string, names ...string) {
		t.Helper()
		for _, name := range names {
			p := filepath.Join(out, name)
			if _, err := os.Stat(p); err != nil {
				if name == "ledger.sqlite" {
					t.Errorf("%s: no ledger: %v", when, err)
				}
				continue
			}
			t.Logf("%s: %s %s", when, mode(p), name)
			if m := mode(p); m != "0600" {
				t.Errorf("%s: %s has mode %s, want 0600", when, name, m)
			}
		}
	}
	ledgerFiles := []string{"ledger.sqlite", "ledger.sqlite-journal", "ledger.sqlite-wal", "ledger.sqlite-shm", "ledger.sqlite.lock"}

	if b, err := child(t, nil, runArgs(1, out)...).CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, b)
	}
	ownerOnly("after run", ledgerFiles...)
	if b, err := child(t, nil, "send", "--config", exampleConfig, "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("send: %v\n%s", err, b)
	}
	ownerOnly("after send", ledgerFiles...)
	folder := filepath.Join(out, schemeFolder, "2021-01")
	outbox := filepath.Join(folder, "outbox")
	if m := mode(outbox); m != "0700" {
		t.Errorf("outbox/: mode %s, want 0700 (owner-only)", m)
	}
	emls, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if len(emls) != 25 {
		t.Errorf("%d messages in the outbox, want 25", len(emls))
	}
	for _, p := range emls {
		if m := mode(p); m != "0600" {
			t.Errorf("%s: mode %s, want 0600", filepath.Base(p), m)
		}
	}
	// The rest is reported, not required: who may read the documents is the
	// choice of the output folder's owner.
	for _, rel := range []string{".", schemeFolder, filepath.Join(schemeFolder, "2021-01"), filepath.Join(schemeFolder, "2021-01", "invoices"),
		filepath.Join(schemeFolder, "2021-01", "appendix.pdf"), filepath.Join(schemeFolder, "2021-01", "manifest.json"),
		filepath.Join(schemeFolder, "2021-01", "invoices", "vsa-2021-000001-019-aura.pdf"),
		filepath.Join(schemeFolder, "2021-01", "invoices", "vsa-2021-000001-019-aura.xml"),
		filepath.Join(schemeFolder, "2021-01", "outbox")} {
		t.Logf("%s %s", mode(filepath.Join(out, rel)), rel)
	}
}

// secretEverywhere lists where secret (or its AUTH PLAIN or base64 form)
// occurs in text or in any file under dir.
func secretEverywhere(t *testing.T, secret, user string, text map[string]string, dirs ...string) []string {
	t.Helper()
	forms := [][]byte{
		[]byte(secret),
		[]byte(base64.StdEncoding.EncodeToString([]byte(secret))),
		[]byte(base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + secret))),
		[]byte(strings.ToLower(secret)),
	}
	var found []string
	has := func(b []byte) bool {
		lower := bytes.ToLower(b)
		for _, f := range forms {
			if bytes.Contains(b, f) || bytes.Contains(lower, bytes.ToLower(f)) {
				return true
			}
		}
		return false
	}
	for where, s := range text {
		if has([]byte(s)) {
			found = append(found, where)
		}
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && has(b) {
				found = append(found, path)
			}
			return nil
		})
	}
	return found
}

// TestSecretsNeverLeak: the SMTP password (KUNTALASKU_SMTP_PASSWORD) never
// appears on standard output or error, nor in any file of the output folder
// (documents, manifests, messages, the ledger's bytes), whatever the server
// does: refuses the login, refuses the recipients, or is not there; nor when
// it is put in KUNTALASKU_SMTP_URL or the configuration, which are refused.
func TestSecretsNeverLeak(t *testing.T) {
	const secret, user = "s3cr3t-Salasana-4711", "invoicer"
	c := newSMTPCase(t) // January invoiced, [smtp] with short backoff; its server wants another password
	cwd := t.TempDir()
	cert := mailtest.NewCert(t, "127.0.0.1")
	ca := cert.WritePEM(t)
	rejecting := mailtest.Start(t, mailtest.Options{Cert: cert, User: user, Pass: secret})
	rejecting.RejectRcpt(true)

	seen := map[string]string{}
	try := func(about string, wantCode int, env []string, args ...string) result {
		t.Helper()
		r := proc(t, cwd, env, args...)
		if wantCode >= 0 && r.code != wantCode {
			t.Errorf("%s: exit %d, want %d\n%s%s", about, r.code, wantCode, clip(r.stdout), clip(r.stderr))
		}
		seen[about+": stdout"], seen[about+": stderr"] = r.stdout, r.stderr
		return r
	}
	base := []string{"KUNTALASKU_SMTP_PASSWORD=" + secret, "KUNTALASKU_SMTP_CA=" + ca}
	sendArgs := []string{"send", "--config", c.config, "--out", c.out}
	// The login is refused: the server c.server wants another password.
	r := try("send, login refused", exitUndelivered,
		append(base, "KUNTALASKU_SMTP_URL="+c.server.URL(), "KUNTALASKU_SMTP_CA="+c.env["KUNTALASKU_SMTP_CA"]), sendArgs...)
	if c.server.AuthAttempts() == 0 {
		t.Errorf("the server saw no login:\n%s%s", r.stdout, r.stderr)
	}
	// Logged in, every recipient refused (550).
	try("send, recipients refused", exitUndelivered, append(base, "KUNTALASKU_SMTP_URL="+rejecting.URL()), sendArgs...)
	try("run --send, recipients refused", exitUndelivered, append(base, "KUNTALASKU_SMTP_URL="+rejecting.URL()),
		"run", "--config", c.config, "--cycle", "2021-02", "--issue-date", "2021-03-01", "--out", c.out, "--send")
	// Nothing listens.
	closed := fmt.Sprintf("smtp://%s@127.0.0.1:%d", user, mailtest.ClosedPort(t))
	try("send, no server", exitUndelivered, append(base, "KUNTALASKU_SMTP_URL="+closed), sendArgs...)
	if n := len(rejecting.Received()) + len(c.server.Received()); n != 0 {
		t.Errorf("%d messages were accepted", n)
	}

	// The password in the URL is refused before anything is sent or written,
	// without being echoed, however the URL is written. send, run --send and
	// validate refuse the first; send the others.
	for i, u := range []string{
		fmt.Sprintf("smtp://%s:%s@%s", user, secret, rejecting.Addr()),
		fmt.Sprintf("smtps://%s:%s@%s", user, secret, rejecting.Addr()),
		fmt.Sprintf("smtp://%s:%s@%s", user, strings.ReplaceAll(secret, "-", "%2D"), rejecting.Addr()),
		fmt.Sprintf("smtp://%s:%s@%s:99999", user, secret, "127.0.0.1"),
		fmt.Sprintf("smtp://%s:%s@%s", user, strings.Replace(secret, "-", "/", 1), rejecting.Addr()),
		fmt.Sprintf("smtp://%s:%s@%s", user, strings.Replace(secret, "-", "#", 1), rejecting.Addr()),
		fmt.Sprintf("smtp://%s:%s@%s", user, strings.Replace(secret, "-", "?", 1), rejecting.Addr()),
		fmt.Sprintf("%s:%s@%s", user, secret, rejecting.Addr()),
	} {
		before := treeHashes(t, c.out)
		env := []string{"KUNTALASKU_SMTP_URL=" + u, "KUNTALASKU_SMTP_CA=" + ca}
		commands := [][]string{sendArgs}
		if i == 0 {
			commands = append(commands,
				[]string{"run", "--config", c.config, "--cycle", "2021-04", "--issue-date", "2021-05-01", "--out", c.out, "--send"},
				[]string{"validate", "--config", c.config, "--cycle", "2021-04"})
		}
		for _, args := range commands {
			r := try(fmt.Sprintf("%s with KUNTALASKU_SMTP_URL=%s", args[0], u), -1, env, args...)
			if r.code == 0 || !strings.Contains(r.stderr, "KUNTALASKU_SMTP_URL") {
				t.Errorf("%s with the password in KUNTALASKU_SMTP_URL: exit %d, want a refusal naming the variable\n%s", args[0], r.code, clip(r.stderr))
			}
			for _, part := range []string{secret, "s3cr3t", "Salasana", "4711"} {
				if strings.Contains(r.stdout+r.stderr, part) {
					t.Errorf("%s with KUNTALASKU_SMTP_URL=%s echoes %q of the password:\n%s", args[0], u, part, r.stderr)
				}
			}
			if after := treeHashes(t, c.out); len(diffDigests(before, after)) > 0 {
				diff := diffDigests(before, after)
				t.Errorf("%s with KUNTALASKU_SMTP_URL=%s: refused (exit %d), yet %d files of the output changed or were added, such as %s",
					args[0], u, r.code, len(diff), strings.Join(diff[:min(4, len(diff))], ", "))
				before = after
			}
		}
	}

	// A password in the configuration is an unknown key, refused unechoed.
	_, withPassword := editedExample(t, "\n[[payers]]\nid = \"019\"", fmt.Sprintf("\n[smtp]\nhost = \"127.0.0.1\"\npassword = %q\n\n[[payers]]\nid = \"019\"", secret))
	r = try("validate with smtp.password", exitInput, nil, "validate", "--config", withPassword)
	if !strings.Contains(r.stderr, "password") {
		t.Errorf("smtp.password is not named:\n%s", r.stderr)
	}

	if found := secretEverywhere(t, secret, user, seen, c.out, cwd); len(found) > 0 {
		t.Errorf("the password leaked into: %s", strings.Join(found, "; "))
	}
	t.Logf("searched %d outputs and %d files", len(seen), len(listFiles(t, c.out)))
}

// finvoiceBuyer is what TestTextEscapedInXMLAndPDF reads back of a
// Finvoice message.
type finvoiceBuyer struct {
	Name   string `xml:"BuyerPartyDetails>BuyerOrganisationName"`
	Street string `xml:"BuyerPartyDetails>BuyerPostalAddressDetails>BuyerStreetName"`
	Ref    string `xml:"InvoiceDetails>BuyerReferenceIdentifier"`
}

// TestTextEscapedInXMLAndPDF: a payer's name, street and buyer's
// reference full of characters that XML and PDF strings must escape. The
// Finvoice message is well-formed, valid against the schema, and gives
// them back exactly; the PDF passes qpdf --check and its text shows them.
func TestTextEscapedInXMLAndPDF(t *testing.T) {
	needShared(t, finvoiceSchema)
	xmllint, qpdf := needTool(t, "xmllint"), needTool(t, "qpdf")
	const (
		name   = `Kunta <&> "quoted" 'apos' (paren) \backslash ä€`
		street = `Katu <&> "q" 'a' (p) \b ä€ 1`
		ref    = `]]> <!-- &amp; --> (x\) ${x}`
	)
	dir := t.TempDir()
	cfgDir, config := editedExample(t,
		`street = "PL 1"`+"\npostcode = \"21380\"", "street = "+tomlString(street)+"\nbuyer_reference = "+tomlString(ref)+"\npostcode = \"21380\"")
	renamePayer(t, cfgDir, "019", name, name)
	out := filepath.Join(dir, "out")
	if r := proc(t, dir, nil, "run", "--config", config, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out); r.code != 0 {
		t.Fatalf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	folder := filepath.Join(out, schemeFolder, "2021-01")
	xmlFile := filepath.Join(folder, "invoices", "vsa-2021-000001-019-kunta-quoted-apos-paren-backslash-a.xml")
	data, err := os.ReadFile(xmlFile)
	if err != nil {
		files, _ := filepath.Glob(filepath.Join(folder, "invoices", "vsa-2021-000001-*"))
		t.Fatalf("%v; the first invoice's files: %v", err, files)
	}
	// Well-formed: every token reads.
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s is not well-formed: %v", xmlFile, err)
		}
	}
	var got finvoiceBuyer
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != name || got.Street != street || got.Ref != ref {
		t.Errorf("read back from the Finvoice:\n name   %q\n street %q\n ref    %q\nwant\n name   %q\n street %q\n ref    %q", got.Name, got.Street, got.Ref, name, street, ref)
	}
	if b, err := exec.Command(xmllint, "--noout", "--schema", finvoiceSchema, xmlFile).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, b)
	}
	for _, pdf := range []string{strings.TrimSuffix(xmlFile, ".xml") + ".pdf", filepath.Join(folder, "appendix.pdf")} {
		if b, err := exec.Command(qpdf, "--check", pdf).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check %s: %v\n%s", filepath.Base(pdf), err, b)
		}
	}
	text := pdfText(t, strings.TrimSuffix(xmlFile, ".xml")+".pdf")
	for _, want := range []string{name, street, ref} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice PDF does not show %q:\n%s", want, text)
		}
	}
	if text := pdfText(t, filepath.Join(folder, "appendix.pdf")); !strings.Contains(text, name) {
		t.Errorf("the appendix does not show %q:\n%s", name, text)
	}
}

// inflatedXLSX is data (an XLSX) with its first sheet's data padded by mib
// MiB of blanks: a few hundred KB that unpack to more than the limit.
func inflatedXLSX(t *testing.T, data []byte, mib int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	found := false
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(content, []byte("<sheetData>"))
			if i < 0 {
				t.Fatal("the sheet has no <sheetData>")
			}
			i += len("<sheetData>")
			w.Write(content[:i])
			blanks := bytes.Repeat([]byte(" "), 1<<20)
			for range mib {
				w.Write(blanks)
			}
			content, found = content[i:], true
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("no xl/worksheets/sheet1.xml")
	}
	return b.Bytes()
}

// TestActivityXLSXSizeLimit: an activity log in XLSX whose sheet unpacks to
// 300 MiB (more than the 256 MiB a workbook may) is refused as invalid
// input naming the file and the size, by validate and by run, and nothing
// is written.
func TestActivityXLSXSizeLimit(t *testing.T) {
	dir := t.TempDir()
	cfgDir, config := editedExample(t,
		`files = ["activity/asiakastiedot-2021.csv"]`, `files = ["activity/asiakastiedot-2021.xlsx"]`)
	bomb := inflatedXLSX(t, visitsXLSX(nil), 300)
	if len(bomb) > 2<<20 {
		t.Fatalf("the bomb is %d bytes on disk", len(bomb))
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "activity", "asiakastiedot-2021.xlsx"), bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"validate", "--config", config, "--cycle", "2021-02"},
		{"run", "--config", config, "--cycle", "2021-02", "--issue-date", "2021-03-01", "--out", out},
	} {
		r := proc(t, dir, nil, args...)
		msg := errorMessage(r.stderr)
		if r.code != exitInput {
			t.Errorf("%s: exit %d, want 3\n%s", args[0], r.code, clip(r.stderr))
		}
		for _, want := range []string{"asiakastiedot-2021.xlsx", "unpacks to more than 256 MiB"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: the message does not say %q:\n%s", args[0], want, clip(msg))
			}
		}
		if strings.Contains(msg, "population") {
			t.Logf("%s: the message speaks of a population table for an activity log: %s", args[0], clip(msg))
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: %s was created", args[0], out)
		}
	}
}
