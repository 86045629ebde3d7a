// Package lessons holds Waymark's course content (see README.md) and
// embeds it into the app, so every lesson works with no network. Release
// builds (tag "packed") embed it compressed, as packed.zip.
package lessons
