/// A rectangle of cells: where a view draws.
public struct Rect: Sendable, Hashable {
    /// The left column.
    public var x: Int
    /// The top row.
    public var y: Int
    public var width: Int
    public var height: Int

    /// A rectangle; negative sizes become empty.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// True when the cell at `row`, `column` lies inside.
    public func contains(row: Int, column: Int) -> Bool {
        row >= y && row < y + height && column >= x && column < x + width
    }

    /// True when there is no cell inside.
    public var isEmpty: Bool { width == 0 || height == 0 }
}

/// Something that draws into the cells of a rectangle, reading the state it was made from and
/// changing nothing else: the views of the Elm architecture. A new screen is a new view type
/// (drawn by `Frame` in the rectangle `Layout` gives it) plus the messages it handles.
protocol View {
    /// Draws into `area` of `buffer`; nothing outside `area` changes.
    func render(in area: Rect, into buffer: inout ScreenBuffer)
}

/// The rectangles of one frame, computed once from the screen and the terminal's size: the
/// same values draw the frame and tell which view a mouse click landed in.
struct Layout: Sendable, Equatable {
    /// The whole terminal.
    var frame: Rect
    /// The title bar (the first row).
    var header: Rect
    /// The product goal and vision line below the title bar, when the backlog says them (and
    /// the terminal has 8 rows or more).
    var banner: Rect?
    /// The status line (the last row), when there are two rows or more.
    var status: Rect?
    /// The story list: its column titles on the first row, stories below. Nil on the detail screen.
    var list: Rect?
    /// The vertical line between the list and the pane.
    var divider: Rect?
    /// Beside the list: the detail pane (list screen) or the sprint (planning); the whole body
    /// on the detail screen. Nil when the terminal is too narrow for it.
    var pane: Rect?
    /// True when the pane shows the selected story's detail.
    var showsDetail: Bool
    /// Between the header and the status line: where full-screen views (the matrix) draw.
    var body: Rect

    /// The list screen shows the detail pane from this width on.
    static let detailPaneMinimumWidth = 110
    /// The planning screen shows the sprint pane from this width on.
    static let planningPaneMinimumWidth = 70

    init(screen: Screen, width: Int, height: Int, banner wantsBanner: Bool = false) {
        frame = Rect(x: 0, y: 0, width: width, height: height)
        header = Rect(x: 0, y: 0, width: width, height: min(1, height))
        status = height >= 2 ? Rect(x: 0, y: height - 1, width: width, height: 1) : nil
        banner = wantsBanner && height >= 8 ? Rect(x: 0, y: 1, width: width, height: 1) : nil
        let top = banner == nil ? 1 : 2
        let body = Rect(x: 0, y: top, width: width, height: height - top - 1)
        self.body = body
        var paneWidth = 0
        switch screen {
        case .compare:
            // The table on the whole body: titles, rows, and the agreement line at the bottom.
            list = Rect(x: 0, y: top, width: width, height: body.height - 1)
            divider = nil
            pane = nil
            showsDetail = false
            return
        case .matrix, .review:
            list = nil
            divider = nil
            pane = nil
            showsDetail = false
            return
        case .detail:
            list = nil
            divider = nil
            pane = body
            showsDetail = true
            return
        case .list:
            paneWidth = width >= Self.detailPaneMinimumWidth ? width * 2 / 5 : 0
        case .planning:
            paneWidth = width >= Self.planningPaneMinimumWidth ? max(34, width * 2 / 5) : 0
        }
        if case .list = screen { showsDetail = paneWidth > 0 } else { showsDetail = false }
        let listWidth = paneWidth > 0 ? width - paneWidth - 1 : width
        list = Rect(x: 0, y: top, width: listWidth, height: body.height)
        if paneWidth > 0 {
            divider = Rect(x: listWidth, y: top, width: 1, height: body.height)
            pane = Rect(x: listWidth + 1, y: top, width: paneWidth, height: body.height)
        } else {
            divider = nil
            pane = nil
        }
    }

    /// The list row (0 = the first story shown) under a click, or nil when the click is not on
    /// a story row of the list (the titles, the pane, the bars).
    func listRow(atRow row: Int, column: Int) -> Int? {
        guard let list, list.contains(row: row, column: column), row > list.y else { return nil }
        return row - list.y - 1
    }
}
