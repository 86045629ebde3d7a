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

// buildDictionary makes a raw dictionary for events as the engine seals
// them (learn.EncodeEvent, one a line): the course's step ids, each lesson
// id as it starts an event's lesson field, then each event kind as it
// starts an event, most common last (nearest the data, the cheapest to
// refer to).
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
		fmt.Fprintf(&b, `"l":%q,"s":"`, l)
	}
	b.WriteString("\n")
	for _, k := range []string{"milestone.added", "milestone.removed", "milestone.share", "profile.nickname", "phrases.added", "phrase.reviewed"} {
		fmt.Fprintf(&b, `{"c":117000000000000000,"k":%q,"l":"","s":"","a":[""],"r":true,"t":"","d":""}`+"\n", k)
	}
	b.WriteString(`{"c":117000000000000000,"k":"milestone.done","t":"gp","r":true,"d":"2026-` + "\n")
	b.WriteString(`{"c":117000000000000000,"k":"milestone.note","t":"","d":"` + "\n")
	b.WriteString(`{"c":117000000000000000,"k":"lesson.done","l":"` + "\n")
	b.WriteString(`{"c":117000000000000000,"k":"answer","l":"","s":"","a":["a"]}` + "\n")
	b.WriteString(`{"c":117000000000000000,"k":"answer","l":"","s":"","a":["a"],"r":true}` + "\n")
	b.WriteString(`{"c":117000000000000000,"k":"step.shown","l":"` + "\n")
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
