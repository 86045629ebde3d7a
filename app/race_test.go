//go:build race

package app_test

// raceEnabled is set under the race detector, which runs the suite about
// ten times slower: the sweeps over the whole course (every step in every
// language) then take a sample. They run whole without it.
const raceEnabled = true
