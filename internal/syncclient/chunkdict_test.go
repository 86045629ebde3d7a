package syncclient_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/waymark-app/waymark/internal/syncclient"
)

var update = flag.Bool("update", false, "write chunkdict.txt from lessons/ (only before it ships: a shipped dictionary never changes)")

// buildDictionary makes a raw zstd dictionary for events: the course's
// lesson and step ids, then the JSON of each event kind, most common
// last (nearest the data, the cheapest to refer to).
func buildDictionary(t testing.TB) []byte {
	lessons, steps := courseIDs(t)
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, l := range lessons {
		for _, s := range steps[l] {
			if !seen[s] {
				seen[s] = true
				fmt.Fprintf(&b, "%q,", s)
			}
		}
	}
	b.WriteString("\n")
	for _, l := range lessons {
		fmt.Fprintf(&b, `"lesson":%q,"step":"`, l)
	}
	b.WriteString("\n")
	for _, k := range []string{"milestone.added", "milestone.removed", "milestone.done", "milestone.share", "phrases.added", "phrase.reviewed"} {
		fmt.Fprintf(&b, `{"clock":1,"kind":%q,"target":"","data":"","lesson":"","step":"","answer":[""],"correct":true}`+"\n", k)
	}
	b.WriteString(`{"clock":1,"kind":"milestone.note","target":"","data":"` + "\n")
	b.WriteString(`{"clock":1,"kind":"lesson.done","lesson":"` + "\n")
	b.WriteString(`{"clock":1,"kind":"answer","lesson":"","step":"","answer":["a"],"correct":false}` + "\n")
	b.WriteString(`{"clock":1,"kind":"answer","lesson":"","step":"","answer":["a"],"correct":true}` + "\n")
	b.WriteString(`{"clock":1,"kind":"step.shown","lesson":"","step":"` + "\n")
	return b.Bytes()
}

func TestChunkDictionary(t *testing.T) {
	if *update {
		if err := os.WriteFile("chunkdict.txt", buildDictionary(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := syncclient.ChunkDictionary()
	if len(d) == 0 || len(d) > 8<<10 {
		t.Fatalf("the dictionary is %d bytes: want a small one", len(d))
	}
	sum := sha256.Sum256(d)
	if got := hex.EncodeToString(sum[:]); got != syncclient.ChunkDictionaryHash && !*update {
		t.Errorf("chunkdict.txt changed (sha256 %s, want %s): a shipped dictionary never changes; add a new one with a new format byte", got, syncclient.ChunkDictionaryHash)
	}
}
