//go:build race

package syncclient_test

// raceEnabled is set when tests run under the race detector.
const raceEnabled = true
