//go:build !release

package app

// releaseBuild is false in development builds.
const releaseBuild = false
