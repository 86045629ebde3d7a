package hub_test

import "testing"

func TestDemoLessonLoads(t *testing.T) {
	l, _ := demoLesson(t)
	if got := l.Text.Get("ar", "step.pick.question"); got != "ما أكثر شيء آمن تفعله؟" {
		t.Errorf("Arabic question: %q", got)
	}
}
