package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// testMessage has two PDFs and one XML attachment, with Finnish and Swedish letters in the
// names, subject and body, and attachment bytes that stress the transport (CRLF, lone
// dots at line starts, NULs, high bytes).
func testMessage() *Message {
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		helsinki = time.FixedZone("EET", 2*3600)
	}
	pdf := func(seed byte) []byte {
		b := []byte("%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n.\r\n..\r\n")
		for i := 0; i < 5000; i++ {
			b = append(b, byte(i)*seed, '\n', 0, '.', '\r')
		}
		return append(b, "\n%%EOF\n"...)
	}
	return &Message{
		From:    "Vöyrin laskutus <laskutus@example.fi>",
		ReplyTo: "Kirjaamo <kirjaamo@example.fi>",
		To:      []string{"Åbo stad <faktura@aura.example.fi>", "kirjanpito@aura.example.fi"},
		Subject: "Lasku VSA-2021-000123 – Ikääntyneiden asiakasohjaus 1/2021 (Åbo, Närpes)",
		Body: "Hyvä vastaanottaja,\n\noheisena lasku ja sen liite. Ärrä, öljy, Åland.\n" +
			strings.Repeat("Pitkä rivi ilman rivinvaihtoa ", 10) + "\n.\n-- \nLaskutus\n",
		Attachments: []Attachment{
			{Name: "vsa-2021-000123-019-aura.pdf", ContentType: "application/pdf", Data: pdf(3)},
			{Name: "vsa-2021-01-liite.pdf", ContentType: "application/pdf", Data: pdf(7)},
			{Name: "vsa-2021-000123-019-aura.xml", ContentType: "application/xml",
				Data: []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Finvoice Version=\"3.0\"><BuyerPartyDetails><BuyerOrganisationName>Aura – Åbo</BuyerOrganisationName></BuyerPartyDetails></Finvoice>\n")},
		},
		MessageID: "kuntalasku.vsa.2021-01.1.019@example.fi",
		Date:      time.Date(2021, 2, 3, 9, 30, 0, 0, helsinki),
	}
}

type parsedPart struct {
	contentType string
	filename    string
	disposition string
	data        []byte
}

type parsedMessage struct {
	header      mail.Header
	body        string // the text part, decoded, CRLF turned into LF
	attachments []parsedPart
}

// parseMessage reads raw with net/mail and mime/multipart, as a mail client would.
func parseMessage(t *testing.T, raw []byte) parsedMessage {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v", err)
	}
	pm := parsedMessage{header: msg.Header}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		pm.body = decodeText(t, msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		return pm
	}
	if mediaType != "multipart/mixed" {
		t.Fatalf("top-level type %q, want multipart/mixed", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading MIME part: %v", err)
		}
		ct, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type %q: %v", p.Header.Get("Content-Type"), err)
		}
		disp, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp != "attachment" {
			if ct != "text/plain" {
				t.Fatalf("inline part of type %q", ct)
			}
			// multipart.Reader has already undone quoted-printable.
			data, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			pm.body = strings.ReplaceAll(string(data), "\r\n", "\n")
			continue
		}
		if enc := p.Header.Get("Content-Transfer-Encoding"); enc != "base64" {
			t.Fatalf("attachment %q encoded as %q, want base64", dparams["filename"], enc)
		}
		data, err := io.ReadAll(base64Reader(p))
		if err != nil {
			t.Fatalf("attachment %q: %v", dparams["filename"], err)
		}
		pm.attachments = append(pm.attachments, parsedPart{
			contentType: ct, filename: dparams["filename"], disposition: disp, data: data,
		})
	}
	return pm
}

// checkMessage compares a parsed message with the Message it was made from.
func checkMessage(t *testing.T, pm parsedMessage, m *Message) {
	t.Helper()
	dec := new(mime.WordDecoder)
	from, err := pm.header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From %q: %v", pm.header.Get("From"), err)
	}
	wantFrom, _ := mail.ParseAddress(m.From)
	if from[0].Name != wantFrom.Name || from[0].Address != wantFrom.Address {
		t.Errorf("From = %q <%s>, want %q <%s>", from[0].Name, from[0].Address, wantFrom.Name, wantFrom.Address)
	}
	to, err := pm.header.AddressList("To")
	if err != nil {
		t.Fatalf("To %q: %v", pm.header.Get("To"), err)
	}
	if len(to) != len(m.To) {
		t.Fatalf("To has %d addresses, want %d", len(to), len(m.To))
	}
	for i, a := range to {
		want, _ := mail.ParseAddress(m.To[i])
		if a.Name != want.Name || a.Address != want.Address {
			t.Errorf("To[%d] = %q <%s>, want %q <%s>", i, a.Name, a.Address, want.Name, want.Address)
		}
	}
	if m.ReplyTo != "" {
		rt, err := pm.header.AddressList("Reply-To")
		want, _ := mail.ParseAddress(m.ReplyTo)
		if err != nil || len(rt) != 1 || rt[0].Address != want.Address || rt[0].Name != want.Name {
			t.Errorf("Reply-To = %q (%v), want %q", pm.header.Get("Reply-To"), err, m.ReplyTo)
		}
	}
	subject, err := dec.DecodeHeader(pm.header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject %q: %v", pm.header.Get("Subject"), err)
	}
	if subject != m.Subject {
		t.Errorf("Subject = %q, want %q", subject, m.Subject)
	}
	if got, want := pm.header.Get("Message-Id"), "<"+m.MessageID+">"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	date, err := pm.header.Date()
	if err != nil || !date.Equal(m.Date) {
		t.Errorf("Date = %q (%v), want %v", pm.header.Get("Date"), err, m.Date)
	}
	if want := strings.ReplaceAll(m.Body, "\r\n", "\n"); pm.body != want {
		t.Errorf("body = %q, want %q", pm.body, want)
	}
	if len(pm.attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(pm.attachments), len(m.Attachments))
	}
	for i, a := range pm.attachments {
		want := m.Attachments[i]
		if a.filename != want.Name {
			t.Errorf("attachment %d filename %q, want %q", i, a.filename, want.Name)
		}
		if a.contentType != want.ContentType {
			t.Errorf("attachment %q type %q, want %q", want.Name, a.contentType, want.ContentType)
		}
		if !bytes.Equal(a.data, want.Data) {
			t.Errorf("attachment %q: %d bytes differ from the %d sent", want.Name, len(a.data), len(want.Data))
		}
	}
}

func TestEMLRoundTrip(t *testing.T) {
	m := testMessage()
	raw, err := EML(m)
	if err != nil {
		t.Fatal(err)
	}
	pm := parseMessage(t, raw)
	checkMessage(t, pm, m)

	// The headers are 7-bit: the Subject is RFC 2047 encoded, the names too.
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for i, b := range head {
		if b >= 0x80 {
			t.Fatalf("raw header has a non-ASCII byte at %d: %q", i, head[max(0, i-20):i+1])
		}
	}
	if rawSubject := pm.header.Get("Subject"); !strings.Contains(strings.ToLower(rawSubject), "=?utf-8?") {
		t.Errorf("Subject is not RFC 2047 encoded: %q", rawSubject)
	}
	// The whole message is 7-bit, with CRLF line ends and lines within RFC 5322's limit.
	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if bytes.IndexByte(line, '\n') >= 0 || bytes.IndexByte(line, '\r') >= 0 {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 998 {
			t.Fatalf("line %d is %d bytes long", i+1, len(line))
		}
		for _, b := range line {
			if b >= 0x80 {
				t.Fatalf("line %d is not 7-bit: %q", i+1, line)
			}
		}
	}
	// Nothing that would differ between machines or go-mail versions.
	for _, h := range []string{"User-Agent", "X-Mailer"} {
		if v := pm.header.Get(h); v != "" {
			t.Errorf("unexpected header %s: %q", h, v)
		}
	}
	if !bytes.Contains(raw, []byte(boundary(m.MessageID))) {
		t.Errorf("the boundary is not the one derived from the Message-ID")
	}
}

func TestEMLDeterministic(t *testing.T) {
	a, err := EML(testMessage())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, err := EML(testMessage())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("rendering %d differs:\n%s\n---\n%s", i+2, a[:min(len(a), 800)], b[:min(len(b), 800)])
		}
	}
	// The same *Message rendered twice (go-mail mutates its own Msg while writing).
	m := testMessage()
	first, _ := EML(m)
	second, _ := EML(m)
	if !bytes.Equal(first, second) || !bytes.Equal(first, a) {
		t.Fatal("rendering the same Message twice gives different bytes")
	}

	other := testMessage()
	other.MessageID = "kuntalasku.vsa.2021-01.1.020@example.fi"
	c, err := EML(other)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(c, []byte(boundary(m.MessageID))) {
		t.Error("another Message-ID gives the same boundary")
	}
}

func TestEMLWithoutAttachments(t *testing.T) {
	m := testMessage()
	m.Attachments = nil
	m.ReplyTo = ""
	raw, err := EML(m)
	if err != nil {
		t.Fatal(err)
	}
	pm := parseMessage(t, raw)
	checkMessage(t, pm, m)
	if ct := pm.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want text/plain", ct)
	}
	if pm.header.Get("Reply-To") != "" {
		t.Errorf("unexpected Reply-To %q", pm.header.Get("Reply-To"))
	}
}

func TestEMLInvalid(t *testing.T) {
	cases := map[string]func(m *Message){
		"no From":              func(m *Message) { m.From = "" },
		"bad From":             func(m *Message) { m.From = "not an address" },
		"no To":                func(m *Message) { m.To = nil },
		"bad To":               func(m *Message) { m.To = []string{"ok@example.fi", "@@"} },
		"bad Reply-To":         func(m *Message) { m.ReplyTo = "nobody" },
		"no Message-ID":        func(m *Message) { m.MessageID = "" },
		"Message-ID with <>":   func(m *Message) { m.MessageID = "<a@b>" },
		"Message-ID no @":      func(m *Message) { m.MessageID = "abc" },
		"Message-ID space":     func(m *Message) { m.MessageID = "a b@c" },
		"Message-ID non-ASCII": func(m *Message) { m.MessageID = "ä@example.fi" },
		"no Date":              func(m *Message) { m.Date = time.Time{} },
		"Subject line break":   func(m *Message) { m.Subject = "Lasku\r\nBcc: x@example.com" },
		"attachment no name":   func(m *Message) { m.Attachments[0].Name = "" },
		"attachment bad type":  func(m *Message) { m.Attachments[0].ContentType = "pdf;;" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			m := testMessage()
			mutate(m)
			if raw, err := EML(m); err == nil {
				t.Fatalf("no error; rendered %d bytes", len(raw))
			}
		})
	}
	if _, err := EML(nil); err == nil {
		t.Error("EML(nil): no error")
	}
}

func TestEMLDefaultContentType(t *testing.T) {
	m := testMessage()
	m.Attachments = []Attachment{{Name: "data.bin", Data: []byte{0, 1, 2, 0xff}}}
	raw, err := EML(m)
	if err != nil {
		t.Fatal(err)
	}
	pm := parseMessage(t, raw)
	if len(pm.attachments) != 1 || pm.attachments[0].contentType != "application/octet-stream" ||
		!bytes.Equal(pm.attachments[0].data, m.Attachments[0].Data) {
		t.Fatalf("attachments = %+v", pm.attachments)
	}
}

func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, r) // skips the CRLF line breaks
}

// decodeText decodes a single-part text body (net/mail leaves it encoded).
func decodeText(t *testing.T, cte string, r io.Reader) string {
	t.Helper()
	switch strings.ToLower(cte) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64Reader(r)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s body: %v", cte, err)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}
