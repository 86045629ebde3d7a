package learn

import "errors"

// Domain errors. Adapters translate driver errors into these and pass every
// other error on unchanged, so callers can test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input broke a rule and nothing was changed.
	ErrInvalid = errors.New("invalid")
	// ErrConflict means the change clashes with what is already stored.
	ErrConflict = errors.New("conflict")
)

// More domain errors.
var (
	// ErrLocked means the learner's record is sealed and the key to open it
	// has not been given (the app is locked).
	ErrLocked = errors.New("locked")
	// ErrDamaged means stored data could not be read: a damaged file, or
	// a record that does not open with its key.
	ErrDamaged = errors.New("damaged")
)
