//go:build !release

package main

// releaseBuild is false in development builds.
const releaseBuild = false
