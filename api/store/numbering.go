package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// keyLocks are in-process locks by name that a waiter can give up on
// (its request's context ends).
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	ch    chan struct{} // holds a token while the lock is held
	users int           // holders and waiters; the entry goes at 0
}

// lock takes the lock of key, or fails when ctx ends first.
func (k *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

// lockNumbering serialises issuing in one numbering (agency, kind,
// year) from the reading of its last number to the storing of the issued
// files, the render included, without holding the SQLite writer: an
// in-process lock, and on PostgreSQL a transaction-level advisory lock
// too (other baocao processes on the same database), held by a
// transaction of its own that does nothing else and ends, releasing it,
// with unlock — or with its connection, should the process die.
func (s *Store) lockNumbering(ctx context.Context, agencyID int64, kind string, year int) (unlock func(), err error) {
	key := fmt.Sprintf("doc_numbers %d %s %d", agencyID, kind, year)
	unlockLocal, err := s.numbering.lock(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("wait to number: %w", err)
	}
	if s.Embedded() {
		return unlockLocal, nil
	}
	tx, err := s.sqlDB.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		unlockLocal()
		return nil, fmt.Errorf("number lock: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("baocao " + key))
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64())); err != nil {
		_ = tx.Rollback()
		unlockLocal()
		return nil, fmt.Errorf("number lock: %w", err)
	}
	return func() { _ = tx.Rollback(); unlockLocal() }, nil
}

// errNumberTaken: the number read before the render was given
// meanwhile (by a process that does not share the numbering lock).
var errNumberTaken = errors.New("number taken meanwhile")

// maxNumberAttempts bounds the renders of one issue when another process
// takes its number first (two processes on one SQLite file: the numbering
// lock is per process there).
const maxNumberAttempts = 20

// numbered is a document to issue in a numbering (agency, kind, calendar
// year of Date): Render makes its frozen files with the number given,
// Store stores them in the transaction that takes the number, checking
// that the draft rendered is still the one to issue.
type numbered struct {
	AgencyID int64
	Kind     string
	Date     time.Time
	Render   func(number int) (pdf, xlsx []byte, err error)
	Store    func(tx *gorm.DB, number int, pdf, xlsx []byte) error
}

// issueNumbered gives a document the next number of its numbering and
// freezes its files — the one way every issued document (a periodic
// report, a công văn) is numbered. The render runs outside any write
// transaction (on SQLite the one writer connection stays free for
// everyone else):
//
//  1. the numbering (agency, kind, year) is locked (lockNumbering), so
//     that issues in it run one at a time, and the last number given is
//     read: the document gets the next one;
//  2. the files are rendered with it, outside the database;
//  3. one short transaction stores them (req.Store), and only then takes
//     the number: the numbering must still be at the number before (else,
//     should a process without the lock have taken it, the render is done
//     again with the next one).
//
// A number is written only together with the files printed with it, so a
// render that fails, or a process that dies while rendering, uses none.
func (s *Store) issueNumbered(ctx context.Context, req numbered) error {
	year := req.Date.Year()
	unlock, err := s.lockNumbering(ctx, req.AgencyID, req.Kind, year)
	if err != nil {
		return err
	}
	defer unlock()
	for attempt := 1; ; attempt++ {
		var last int
		if err := s.read(ctx).Table("doc_numbers").Select("last").Where("agency_id = ? AND kind = ? AND year = ?", req.AgencyID, req.Kind, year).
			Scan(&last).Error; err != nil {
			return fmt.Errorf("number: %w", err)
		}
		number := last + 1
		pdf, xlsx, err := req.Render(number)
		if err != nil {
			return fmt.Errorf("render the issued document: %w", err)
		}
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := req.Store(tx, number, pdf, xlsx); err != nil {
				return err
			}
			return takeNumber(tx, req.AgencyID, req.Kind, year, number)
		})
		if errors.Is(err, errNumberTaken) && attempt < maxNumberAttempts {
			continue
		}
		return err
	}
}

// takeNumber records number as the last of its numbering, given only if
// it is still the next one (else errNumberTaken).
func takeNumber(tx *gorm.DB, agencyID int64, kind string, year, number int) error {
	var res *gorm.DB
	if number == 1 {
		res = tx.Table("doc_numbers").Clauses(clause.OnConflict{DoNothing: true}).
			Create(map[string]any{"agency_id": agencyID, "kind": kind, "year": year, "last": 1})
	} else {
		res = tx.Table("doc_numbers").Where("agency_id = ? AND kind = ? AND year = ? AND last = ?", agencyID, kind, year, number-1).
			Update("last", number)
	}
	if res.Error != nil {
		return fmt.Errorf("number: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errNumberTaken
	}
	return nil
}

// frozen are the columns an issued document's row takes: its status,
// number and date, its files with their SHA-256, a new version.
func (s *Store) frozen(number int, date time.Time, pdf, xlsx []byte) map[string]any {
	ps, xs := sha256.Sum256(pdf), sha256.Sum256(xlsx)
	return map[string]any{"status": ReportIssued, "number": number, "issued_on": date.Format(time.DateOnly),
		"pdf": pdf, "pdf_sha256": hex.EncodeToString(ps[:]), "xlsx": xlsx, "xlsx_sha256": hex.EncodeToString(xs[:]),
		"version": gorm.Expr("version + 1"), "updated_at": s.now()}
}
