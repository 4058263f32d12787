/// What the app asks of the terminal backend after a key: things only it can do.
public enum SessionRequest: Sendable, Equatable {
    /// Leave the screen and end the program.
    case quit
    /// Suspend the screen, let the user edit `text` in $VISUAL/$EDITOR (in a temporary file
    /// named with `suffix`), then call `Session.finishExternalEdit` with the result.
    case editExternally(text: String, suffix: String)
}
