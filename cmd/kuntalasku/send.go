package main

import (
	"cmp"
	"context"
	"fmt"
	netmail "net/mail"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/output/files"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/mail"
	"github.com/kuntalasku/kuntalasku/templates"
)

// undeliveredError is returned when messages remain undelivered: exit 4.
type undeliveredError struct{ n int }

func (e *undeliveredError) Error() string {
	return fmt.Sprintf("%d documents remain undelivered; run kuntalasku send again to retry them", e.n)
}

// runSend is "kuntalasku send" (SPEC 6): every document not yet delivered
// goes by email to its payer, one message per payer and run with the
// documents' PDFs (and Finvoice files, for delivery "both") and the run's
// appendix. Each attempt is recorded in the ledger; a delivered document is
// never sent again unless --resend asks. With no SMTP server configured the
// messages are written to the run's outbox/ as .eml files.
func (m *Main) runSend(ctx context.Context, args []string) error {
	fs := m.flagSet("send", "--config FILE [--cycle C] [--resend] [--out DIR] [--dry-run]",
		"kuntalasku send --config examples/varsinais-suomi/kuntalasku.toml --cycle 2021-01")
	configPath := fs.String("config", "", "the scheme's configuration `file` (required)")
	cycleFlag := fs.String("cycle", "", "send only the documents of this `cycle` (its run, corrections and settlement); default: every undelivered document")
	resend := fs.Bool("resend", false, "send again documents already delivered (or whose delivery was interrupted); use with --cycle")
	outFlag := fs.String("out", "", "output `folder` holding the ledger (default: the configuration's output.dir, else ./out)")
	dryRun := fs.Bool("dry-run", false, "show what would be sent, and to whom, without sending or recording anything")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		fs.Usage()
		return &usageError{"send: --config is required"}
	}
	if *resend && *cycleFlag == "" {
		return &usageError{"send: --resend sends delivered documents again: name the cycle with --cycle"}
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	out := outDir(*outFlag, cfg)
	return m.deliver(ctx, cfg, out, sendFilter{cycle: *cycleFlag, resend: *resend}, *dryRun)
}

// sendFilter selects the documents to send.
type sendFilter struct {
	cycle  string // "" for all
	run    int64  // 0 for all
	resend bool
}

// outgoing is one message: a payer's documents of one run.
type outgoing struct {
	payer *PayerConfig
	run   *ledger.Run
	docs  []ledger.Document
}

// checkMail reads the mail settings and builds the client as deliver would,
// without connecting: run, correct and settle with --send call it before
// they issue anything, so that a bad SMTP setting stops them before any
// number is used, not after.
func (m *Main) checkMail(cfg *Config) error {
	settings, smtp, err := m.mailSettings(cfg)
	if err != nil || !smtp {
		return err
	}
	if _, err := mail.NewClient(settings.config); err != nil {
		return &inputError{fmt.Errorf("SMTP: %w", err)}
	}
	return nil
}

// deliver sends the selected documents and records every attempt.
func (m *Main) deliver(ctx context.Context, cfg *Config, out string, f sendFilter, dryRun bool) error {
	settings, smtp, err := m.mailSettings(cfg)
	if err != nil {
		return err
	}
	if !dryRun {
		release, err := m.lockLedger(ctx, cfg, out, "send")
		if err != nil {
			return err
		}
		defer release()
	}
	store, err := m.openExisting(ctx, cfg, out, dryRun)
	if err != nil {
		return err
	}
	defer store.Close()
	msgs, uncertain, err := selectOutgoing(ctx, store, cfg, f)
	if err != nil {
		return err
	}
	w := m.Stdout
	for _, d := range uncertain {
		fmt.Fprintf(w, "%s: an earlier send was interrupted while sending it; it may have arrived. Check with the payer, then send it again with --resend --cycle %s if it did not.\n", d.Number, d.Cycle)
	}
	channel := ledger.ChannelOutbox
	if smtp {
		channel = ledger.ChannelSMTP
	}
	if len(msgs) == 0 {
		fmt.Fprintln(w, "Nothing to send: every document is delivered.")
		return undelivered(len(uncertain))
	}
	if dryRun {
		fmt.Fprintf(w, "Dry run: would send %d messages (%s):\n", len(msgs), channel)
		for _, o := range msgs {
			fmt.Fprintf(w, "  %s to %s: %s\n", o.payer.ID, strings.Join(o.payer.Email, ", "), numbers(o.docs))
		}
		fmt.Fprintln(w, "Nothing was sent or recorded.")
		return nil
	}
	var client *mail.Client
	if smtp {
		if client, err = mail.NewClient(settings.config); err != nil {
			return &inputError{fmt.Errorf("SMTP: %w", err)}
		}
	}
	states, err := store.Deliveries(ctx, cfg.Scheme.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Payer\tDocuments\tTo\tResult")
	failed := len(uncertain)
	for i, o := range msgs {
		status, reply, err := m.deliverOne(ctx, store, cfg, settings, client, out, o, len(states[o.docs[0].Number])+1)
		if err != nil {
			tw.Flush()
			return err
		}
		if status != ledger.DeliveryDelivered {
			failed += len(o.docs)
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", o.payer.ID, o.payer.Name, numbers(o.docs), strings.Join(o.payer.Email, ", "), cmp.Or(reply, status))
		if i == 0 {
			m.faultpoint("delivered")
		}
	}
	tw.Flush()
	if channel == ledger.ChannelOutbox {
		fmt.Fprintln(w, "\nNo SMTP server is configured: the messages are .eml files in each run's outbox/ folder.")
	}
	return undelivered(failed)
}

func undelivered(n int) error {
	if n == 0 {
		return nil
	}
	return &undeliveredError{n}
}

func numbers(docs []ledger.Document) string {
	var s []string
	for _, d := range docs {
		s = append(s, d.Number)
	}
	return strings.Join(s, ", ")
}

// selectOutgoing are the messages to send, by run and payer, and the
// documents whose last delivery was interrupted (not sent again without
// --resend: they may have arrived).
func selectOutgoing(ctx context.Context, store *ledger.Store, cfg *Config, f sendFilter) ([]outgoing, []ledger.Document, error) {
	docs, err := store.Documents(ctx, cfg.Scheme.ID)
	if err != nil {
		return nil, nil, err
	}
	runs, err := store.Runs(ctx, cfg.Scheme.ID)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*ledger.Run{}
	for i := range runs {
		byID[runs[i].ID] = &runs[i]
	}
	states, err := store.Deliveries(ctx, cfg.Scheme.ID)
	if err != nil {
		return nil, nil, err
	}
	var msgs []outgoing
	var uncertain []ledger.Document
	index := map[string]int{}
	for _, d := range docs {
		if f.cycle != "" && d.Cycle != f.cycle || f.run != 0 && d.Run != f.run {
			continue
		}
		p := cfg.payer(d.Payer)
		if p == nil || p.Delivery == DeliveryEInvoice {
			continue // e-invoices go through the operator; a removed payer gets nothing
		}
		if tries := states[d.Number]; len(tries) > 0 && !f.resend {
			switch tries[len(tries)-1].Status {
			case ledger.DeliveryDelivered:
				continue
			case ledger.DeliverySending:
				uncertain = append(uncertain, d)
				continue
			}
		}
		key := fmt.Sprintf("%d/%s", d.Run, d.Payer)
		k, ok := index[key]
		if !ok {
			k = len(msgs)
			index[key] = k
			msgs = append(msgs, outgoing{payer: p, run: byID[d.Run]})
		}
		msgs[k].docs = append(msgs[k].docs, d)
	}
	return msgs, uncertain, nil
}

// deliverOne sends (or writes to the outbox) one message and records it.
// attempt numbers the message's Message-ID. Failures to deliver are a
// status; the error is for the ledger or the files.
func (m *Main) deliverOne(ctx context.Context, store *ledger.Store, cfg *Config, s *mailSettings, client *mail.Client, out string, o outgoing, attempt int) (status, reply string, err error) {
	folder := filepath.Join(out, filepath.FromSlash(o.run.Folder))
	now, err := m.now()
	if err != nil {
		return "", "", err
	}
	msg, composeErr := composeMessage(cfg, s.from, folder, o, attempt, now)
	var ids []int64
	channel := ledger.ChannelOutbox
	if client != nil {
		channel = ledger.ChannelSMTP
	}
	recipients := o.payer.Email
	if len(recipients) == 0 {
		recipients = []string{"(none)"}
	}
	numbers := make([]string, len(o.docs))
	for i, d := range o.docs {
		numbers[i] = d.Number
	}
	if ids, err = store.StartDelivery(ctx, numbers, channel, recipients, messageIDOf(o, attempt, s.from), now); err != nil {
		return "", "", err
	}
	finish := func(status, reply string) (string, string, error) {
		done, err := m.now()
		if err != nil {
			return "", "", err
		}
		if err := store.FinishDelivery(ctx, ids, status, reply, done); err != nil {
			return "", "", err
		}
		return status, reply, nil
	}
	switch {
	case len(o.payer.Email) == 0:
		return finish(ledger.DeliveryFailed, "no email address: set payers.email in the configuration")
	case composeErr != nil:
		return finish(ledger.DeliveryFailed, composeErr.Error())
	}
	m.faultpoint("sending")
	if client == nil {
		data, err := mail.EML(msg)
		if err != nil {
			return finish(ledger.DeliveryFailed, err.Error())
		}
		name := path.Join("outbox", files.Name(o.docs[0].Number, o.payer.ID, o.payer.Name)+".eml")
		if err := files.PrivateDir(filepath.Join(folder, "outbox")); err != nil {
			return finish(ledger.DeliveryFailed, err.Error())
		}
		if err := files.WriteAtomic(filepath.Join(folder, filepath.FromSlash(name)), data); err != nil {
			return finish(ledger.DeliveryFailed, err.Error())
		}
		return finish(ledger.DeliveryDelivered, "written to "+name)
	}
	res, err := client.Send(ctx, msg, s.retry)
	if err != nil { // an invalid message, or the run was cancelled
		status := ledger.DeliveryFailed
		if ctx.Err() != nil {
			status = ledger.DeliveryTemporary
		}
		return finish(status, err.Error())
	}
	switch {
	case res.Delivered:
		return finish(ledger.DeliveryDelivered, res.Reply)
	case res.Temporary:
		return finish(ledger.DeliveryTemporary, res.Reply)
	}
	return finish(ledger.DeliveryFailed, res.Reply)
}

// messageIDOf is a message's Message-ID: its first document, the payer and
// the attempt, at the sender's domain.
func messageIDOf(o outgoing, attempt int, from string) string {
	domain := "kuntalasku.invalid"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return fmt.Sprintf("%s.%s.%d@%s", strings.ToLower(o.docs[0].Number), files.Name(o.payer.ID), attempt, domain)
}

// composeMessage is the message of o in the payer's language: its
// documents' PDFs (and Finvoice files for delivery "both") and the run's
// appendix, read from the run's folder.
func composeMessage(cfg *Config, from, folder string, o outgoing, attempt int, now time.Time) (*mail.Message, error) {
	p := o.payer
	loc, err := templates.Lookup(p.Language)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	first := o.docs[0]
	var kinds, lines []string
	var attachments []mail.Attachment
	read := func(rel, contentType string) error {
		data, err := os.ReadFile(filepath.Join(folder, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("attachment of %s: %w", first.Number, err)
		}
		attachments = append(attachments, mail.Attachment{Name: path.Base(rel), ContentType: contentType, Data: data})
		return nil
	}
	for _, d := range o.docs {
		data := map[string]any{"Number": d.Number, "Total": loc.Money(d.Total), "Reference": d.Reference.Grouped(), "Credits": d.Credits}
		if d.Type == ledger.TypeCreditNote {
			kinds = append(kinds, tx.T("mail_credit", data))
			lines = append(lines, tx.T("mail_line_credit", data))
		} else {
			data["Due"] = loc.Date(d.DueDate)
			kinds = append(kinds, tx.T("mail_invoice", data))
			lines = append(lines, tx.T("mail_line_invoice", data))
		}
		if err := read(d.PDF, "application/pdf"); err != nil {
			return nil, err
		}
		if p.Delivery == DeliveryBoth {
			if err := read(strings.TrimSuffix(d.PDF, ".pdf")+".xml", "application/xml"); err != nil {
				return nil, err
			}
		}
	}
	if err := read("appendix.pdf", "application/pdf"); err != nil {
		return nil, err
	}
	documents := strings.Join(kinds, tx.T("mail_and", nil))
	data := map[string]any{
		"Documents": documents, "DocumentsInText": lowerFirst(kinds, tx.T("mail_and", nil)), "Service": serviceName(cfg, p.Language), "Period": loc.Period(first.From, first.To),
		"Lines": strings.Join(lines, "\n"), "Contact": cmp.Or(cfg.Seller.ContactEmail, cfg.Seller.ContactPhone, cfg.Seller.Name),
		"Seller": strings.TrimSpace(cfg.Seller.Name + "\n" + cfg.Seller.Unit),
	}
	msg := &mail.Message{
		From: from, ReplyTo: cfg.Seller.ContactEmail, To: slices.Clone(p.Email),
		Subject: tx.T("mail_subject", data), Body: tx.T("mail_body", data),
		Attachments: attachments, MessageID: messageIDOf(o, attempt, from), Date: now,
	}
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return msg, nil
}

// lowerFirst joins kinds with and, each with a lower-case first letter, for
// the middle of a sentence ("lasku VSA-2021-000001").
func lowerFirst(kinds []string, and string) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		r := []rune(k)
		if len(r) > 0 {
			r[0] = []rune(strings.ToLower(string(r[0])))[0]
		}
		out[i] = string(r)
	}
	return strings.Join(out, and)
}
