//go:build floor_sqlite

package main

// Built with the tag floor_sqlite, the floor links the SQLite driver
// Waymark uses and nothing else of Waymark's: the benchmarks report its
// size to show what the driver alone adds.
import _ "modernc.org/sqlite"
