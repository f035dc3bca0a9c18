// Package prompts asks a model running on the user's own machine (Ollama)
// for a plain-language review of a verdict, and hands the answer back as
// data (guard.ModelReview). Everything that came from the input is fenced
// off from the model's instructions; the model's answer can only add to
// the rules' verdict, never lower it.
package prompts
