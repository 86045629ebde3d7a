// Package learn holds Waymark's domain: the course (tracks, lessons, steps),
// how an answer is graded, and how progress is derived from an append-only
// log of events. It imports only the standard library, so the app, the
// content tools and the sync server share one set of rules.
package learn
