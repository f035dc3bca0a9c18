//go:build !unix

package userfile

// noFollow is nothing where the system has no O_NOFOLLOW; Read's check of
// the opened file still refuses anything but a regular file.
const noFollow = 0
