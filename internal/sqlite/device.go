package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
)

// Device is where the app keeps a device's files beside the device's own
// record: trainer mode's profile, a hub's folder, and a shared laptop's
// learners.
type Device struct {
	// Trainer is trainer mode's database.
	Trainer string
	// Hub is the hub's folder (its store, certificate and key).
	Hub string
	// Profiles are a shared laptop's learners (nil: none).
	Profiles *Profiles
}

// Erase deletes one record: db, its database, through DB.Erase (nil if it
// is not open), the copies moved aside beside path, and, when the record
// is the device's own (learner ""), everything the device keeps beside
// it: trainer mode's profile, the hub's folder and every learner's
// record. A shared laptop's learner's record takes only theirs. Nothing
// else in the folder is touched.
func (d Device) Erase(ctx context.Context, db *DB, path, learner string) error {
	var errs []error
	if db != nil {
		errs = append(errs, db.Erase(ctx))
	}
	paths := Aside(path)
	if learner == "" {
		paths = append(paths, d.Trainer, filepath.Join(d.Hub, "hub.db"))
	}
	for _, p := range paths {
		errs = append(errs, Shred(p))
	}
	if learner == "" {
		errs = append(errs, os.RemoveAll(d.Hub))
		if d.Profiles != nil {
			errs = append(errs, d.Profiles.Erase())
		}
	}
	return errors.Join(errs...)
}
