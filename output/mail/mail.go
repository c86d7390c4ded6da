// Package mail builds and sends email messages: a small layer over
// github.com/wneessen/go-mail that knows nothing of invoices.
//
// A [Message] is rendered either as an RFC 5322 file ([EML], for the outbox) or sent over
// SMTP with a [Client]. Rendering is deterministic: the same Message always gives the same
// bytes (the MIME boundary is derived from the Message-ID, and go-mail's User-Agent header
// is suppressed), so an outbox file can be compared with what a server received.
//
// Sending follows the delivery rules of the specification (section 6): STARTTLS is required
// unless explicitly turned off, the server certificate is always verified, AUTH PLAIN is
// only ever sent over TLS, temporary failures (4xx replies, network errors, timeouts) are
// retried with capped exponential backoff, and the password never appears in a [Result] or
// an error. The package does not log.
package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Attachment is a file attached to a message.
type Attachment struct {
	Name        string // the file name shown, e.g. "vsa-2021-000001-019-aura.pdf"
	ContentType string // "application/pdf", "application/xml"; "" means application/octet-stream
	Data        []byte
}

// Message is one email.
type Message struct {
	From        string   // "Laskutus <laskutus@example.fi>" or a bare address
	ReplyTo     string   // optional
	To          []string // at least one; "Name <addr>" or a bare address
	Subject     string   // UTF-8 (Finnish/Swedish letters survive, RFC 2047 encoded)
	Body        string   // text/plain UTF-8 (quoted-printable; line ends become CRLF)
	Attachments []Attachment
	MessageID   string    // without angle brackets, e.g. "kuntalasku.vsa.2021-01.1.019@example.fi"; required
	Date        time.Time // required; written in its own location (RFC 1123 with numeric zone)
}

// messageIDRe is an RFC 5322 msg-id without the angle brackets: dot-atom-text "@" dot-atom-text.
var messageIDRe = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")

// validate reports what makes m unsendable, before go-mail sees it.
func (m *Message) validate() error {
	if m == nil {
		return errors.New("mail: nil message")
	}
	if strings.TrimSpace(m.From) == "" {
		return errors.New("mail: message has no From")
	}
	if len(m.To) == 0 {
		return errors.New("mail: message has no recipients")
	}
	if m.MessageID == "" {
		return errors.New("mail: message has no Message-ID")
	}
	if !messageIDRe.MatchString(m.MessageID) {
		return fmt.Errorf("mail: invalid Message-ID %q (want left@right, without angle brackets)", m.MessageID)
	}
	if m.Date.IsZero() {
		return errors.New("mail: message has no Date")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: Subject contains a line break")
	}
	for i, a := range m.Attachments {
		if a.Name == "" {
			return fmt.Errorf("mail: attachment %d has no name", i+1)
		}
		if a.ContentType != "" {
			if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
				return fmt.Errorf("mail: attachment %q: invalid content type %q: %v", a.Name, a.ContentType, err)
			}
		}
	}
	return nil
}

// boundary derives the multipart boundary from the Message-ID, so that rendering is
// reproducible. go-mail writes the boundary unquoted, so it uses token characters only;
// its "_" never occurs in base64 output and a boundary line starts with "--", which
// base64 never contains either.
func boundary(messageID string) string {
	sum := sha256.Sum256([]byte(messageID))
	return "kuntalasku_" + hex.EncodeToString(sum[:16])
}

// build turns m into a go-mail message. Every call gives a fresh *gomail.Msg (go-mail
// mutates a message while writing it and records delivery state in it).
func build(m *Message) (*gomail.Msg, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(
		gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithBoundary(boundary(m.MessageID)),
		gomail.WithNoDefaultUserAgent(),
	)
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("mail: From %q: %w", m.From, err)
	}
	for _, to := range m.To {
		if err := msg.AddTo(to); err != nil {
			return nil, fmt.Errorf("mail: To %q: %w", to, err)
		}
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: Reply-To %q: %w", m.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.Date)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(ct)))
	}
	return msg, nil
}

// EML renders the message as an RFC 5322 message (.eml) with CRLF line ends. The same
// Message gives the same bytes: the MIME boundary is derived from the MessageID, the Date
// and Message-ID come from the Message, and go-mail's User-Agent header is suppressed.
// These are the bytes a Client sends as DATA.
func EML(m *Message) ([]byte, error) {
	msg, err := build(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("mail: rendering message: %w", err)
	}
	return buf.Bytes(), nil
}
