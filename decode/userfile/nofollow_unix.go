//go:build unix

package userfile

import "syscall"

const noFollow = syscall.O_NOFOLLOW
