// Package tui is the verdict screen: what is about to be signed, what the
// rules and the local model think of it, and one key to approve or reject.
//
// It draws on the terminal it is given (main hands it /dev/tty), never on
// stdout, so it can sit in a pipeline: `cat tx.hex | txguard check >
// approved.hex`. Gate writes the original input to the result writer only
// when the person approves. The screen holds no decoding and no rules: it
// shows a guard.Verdict, reads the decoded input through decode's own text
// form, and merges the model's review with guard's Merge, so the model can
// raise the level on screen exactly as it can in a report, and never lower
// it.
package tui
