//go:build release

package app

// releaseBuild is true in release builds (fyne package --release and
// scripts/release build with the release tag).
const releaseBuild = true
