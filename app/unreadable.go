package app

import "github.com/waymark-app/waymark/internal/learn"

// tellUnreadableLessons makes sure the learner is told, once and calmly,
// when lessons the course lists cannot be read: at once for a course read
// in full (an author's folder), and for a course read lesson by lesson
// (the shipped app) the first time a screen asks for one that fails.
// The lesson is left out of every list; why it failed goes to the log
// (lessonfile reports it), never to the screen.
func (u *UI) tellUnreadableLessons() {
	c := u.d.Course
	told := false
	tell := func() {
		if !told {
			told = true
			u.showNotice(u.loc.T("error.lessons"))
		}
	}
	for _, t := range c.Tracks {
		if len(c.TrackLessonIDs(t)) < len(t.Lessons) {
			tell()
		}
	}
	if load := c.Load; load != nil {
		c.Load = func(id string) *learn.Lesson {
			l := load(id)
			if l == nil {
				tell()
			}
			return l
		}
	}
}
