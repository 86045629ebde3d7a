package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/lessons"
)

// BenchmarkTrainer30Learners measures trainer mode with a group of 30
// learners who each did every lesson of the course that has questions
// (most finished, some half done, some questions wrong), through a real
// server on loopback: the dashboard and the report from the profile's last
// copy (what the screens ask for), a refresh from the server (with the
// aggregates' upload). The app's memory with these 30 learners on the
// dashboard is measured on the real binary (BENCHMARKS.md).
func BenchmarkTrainer30Learners(b *testing.B) {
	cheapCodes(b)
	ctx := context.Background()
	course, _ := lessonfile.Load(lessons.FS)
	tags := report.TagsOf(course)
	m := start(b, nil)
	tr := newTrainer(b, b.TempDir(), tags)
	if err := tr.CreateProfile(ctx, "correct horse battery staple"); err != nil {
		b.Fatal(err)
	}
	if err := tr.Connect(ctx, m.URL(), "", ""); err != nil {
		b.Fatal(err)
	}
	g, _ := tr.CreateGroup(ctx, "Tuesday group")
	code, _ := tr.NewJoinCode(ctx, g.ID, 0)
	var pool []*learn.Lesson
	for _, id := range course.LessonIDs() {
		if l := course.Lesson(id); l != nil && len(questions(l)) >= 1 {
			pool = append(pool, l)
		}
	}
	now := time.Now()
	for i := range 30 {
		d := newLearner(b, b.TempDir())
		for j, l := range pool {
			d.doLesson(b, l, (i+j)%4, j%5 != 0, now.Add(-time.Duration(j)*time.Hour))
		}
		if err := d.svc.Join(ctx, m.URL(), "", ""); err != nil {
			b.Fatal(err)
		}
		if err := d.svc.JoinGroup(ctx, code.Code, fmt.Sprintf("Learner %02d", i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tr.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	if n := len(tr.Members(g.ID)); n != 30 {
		b.Fatalf("%d members", n)
	}
	lessonIDs := course.LessonIDs()
	b.Run("dashboard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if board := tr.Dashboard(g.ID, lessonIDs); len(board.Learners) != 30 {
				b.Fatal(len(board.Learners))
			}
		}
		b.ReportMetric(float64(len(pool)), "lessons/learner")
	})
	b.Run("report", func(b *testing.B) {
		b.ReportAllocs()
		p := report.Params{From: now.AddDate(0, -1, 0), To: now, Now: now}
		for b.Loop() {
			tr.Report(p, nil)
		}
	})
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			if err := tr.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
