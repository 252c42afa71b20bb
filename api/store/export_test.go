package store

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// HoldWrite begins a write transaction on the writer (on SQLite: its one
// connection, holding the database's write lock) and keeps it open until
// release is called (tests of what runs beside a write).
func HoldWrite(ctx context.Context, s *Store) (release func(), err error) {
	started, stop, done := make(chan error, 1), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		_ = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("UPDATE doc_numbers SET last = last WHERE agency_id = -1").Error; err != nil {
				started <- err
				return err
			}
			started <- nil
			<-stop
			return nil
		})
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { close(stop); <-done }) }, nil
}
