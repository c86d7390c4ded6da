package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The statuses of a delivery attempt.
const (
	DeliverySending   = "sending"   // started, not finished: a crash interrupted it
	DeliveryDelivered = "delivered" // the server accepted the message, or it is in the outbox
	DeliveryTemporary = "temporary" // a temporary failure, retries exhausted
	DeliveryFailed    = "failed"    // a permanent failure
)

// The channels of delivery.
const (
	ChannelSMTP   = "smtp"
	ChannelOutbox = "outbox"
)

// Delivery is one attempt to deliver one document.
type Delivery struct {
	ID         int64
	Document   string
	Channel    string
	Recipients []string
	MessageID  string
	Started    time.Time
	Finished   time.Time // zero while sending
	Status     string
	Reply      string // the server's reply or the error; never a secret
}

// StartDelivery records that a message carrying documents is about to go to
// recipients: one row per document with status DeliverySending. It returns
// the rows' ids for FinishDelivery.
func (s *Store) StartDelivery(ctx context.Context, documents []string, channel string, recipients []string, messageID string, started time.Time) ([]int64, error) {
	if s.readOnly {
		return nil, fmt.Errorf("ledger %s is open read-only", s.path)
	}
	if len(documents) == 0 || len(recipients) == 0 {
		return nil, errors.New("start delivery: no documents or no recipients")
	}
	var ids []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range documents {
			res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (document, channel, recipients, message_id, started, status)
				VALUES (?, ?, ?, ?, ?, ?)`, d, channel, strings.Join(recipients, ", "), messageID, utc(started), DeliverySending)
			if err != nil {
				return fmt.Errorf("document %s: %w", d, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("start delivery: %w", err)
	}
	return ids, nil
}

// FinishDelivery records the outcome of the attempts ids.
func (s *Store) FinishDelivery(ctx context.Context, ids []int64, status, reply string, finished time.Time) error {
	if status == DeliverySending {
		return errors.New("finish delivery: the status must be an outcome")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = ?, reply = ?, finished = ? WHERE id = ? AND status = 'sending'`,
				status, reply, utc(finished), id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("delivery %d is not being sent (%v)", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return nil
}

// Deliveries are the attempts of scheme's documents, by document and
// attempt: the last of a document's is its state.
func (s *Store) Deliveries(ctx context.Context, scheme string) (map[string][]Delivery, error) {
	out := map[string][]Delivery{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT v.id, v.document, v.channel, v.recipients, v.message_id, v.started,
			v.finished, v.status, v.reply FROM deliveries v JOIN documents d ON d.number = v.document
			WHERE d.scheme = ? ORDER BY v.document, v.id`, scheme)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				v                 Delivery
				recipients, start string
				finished          sql.NullString
			)
			if err := rows.Scan(&v.ID, &v.Document, &v.Channel, &recipients, &v.MessageID, &start, &finished, &v.Status, &v.Reply); err != nil {
				return err
			}
			v.Recipients = strings.Split(recipients, ", ")
			if v.Started, err = time.Parse(time.RFC3339Nano, start); err != nil {
				return fmt.Errorf("delivery %d: %w", v.ID, err)
			}
			if finished.Valid {
				if v.Finished, err = time.Parse(time.RFC3339Nano, finished.String); err != nil {
					return fmt.Errorf("delivery %d: %w", v.ID, err)
				}
			}
			out[v.Document] = append(out[v.Document], v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the deliveries of %s: %w", scheme, err)
	}
	return out, nil
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// write runs f in a write transaction (BEGIN IMMEDIATE: the ledger's write
// lock) and commits.
func (s *Store) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("ledger %s is open read-only", s.path)
	}
	return s.inTx(ctx, nil, f)
}
