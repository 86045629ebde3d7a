package sqlite

import "database/sql"

// Pools returns the store's connection pools, for tests that look at
// every connection: the writer and the readers.
func (db *DB) Pools() (write, read *sql.DB) { return db.write, db.read }
