import Foundation
import Testing

/// The sample's report in a real browser: Debian's headless Chromium (installed by `.ci/run`).
///
/// - No console message (a CSP directive a meta tag may not carry, a blocked load, a script
///   error: Chromium logs each as `CONSOLE` with `--enable-logging=stderr`).
/// - No network request: the page names no http(s) URL, and inside a measuring page the
///   report's Resource Timing list is empty (every fetch, even a blocked image, is listed).
/// - At 1280 and 390 px the page, and each table and chart in it, is no wider than the
///   window, and no text is under 14 px (SVG
///   text as scaled on screen); the screenshots are not blank.
/// - Printed to PDF, `pdftoppm` shows every page, none blank.
///
/// Where Chromium is not installed the test is skipped with a message, except in CI (CI=true),
/// where it fails.
@Suite("The report in a browser")
struct ReportBrowserTests {
    static let environment = ProcessInfo.processInfo.environment
    static let isCI = ["true", "1"].contains(environment["CI"]?.lowercased() ?? "")

    /// The first of the programs on PATH, or nil.
    static func program(_ names: [String]) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static let chromium = program(["chromium", "chromium-browser", "google-chrome"])
    static let pdftoppm = program(["pdftoppm"])
    static let canRun = (chromium != nil && pdftoppm != nil) || isCI

    /// Runs a program, killing it after `timeout` seconds; its exit status, stdout and stderr.
    static func run(_ program: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("prio-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("\(program) \(arguments.joined(separator: " ")) did not finish in \(Int(timeout)) s")
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Chromium's options for a quiet, repeatable headless run in a throwaway profile.
    static func headless(_ box: Sandbox, width: Int, height: Int) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
         "--disable-dev-shm-usage", "--user-data-dir=\(box.path("profile-\(width)"))", "--window-size=\(width),\(height)",
         "--enable-logging=stderr", "--v=0"]
    }

    /// The console messages in Chromium's log.
    static func consoleMessages(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }

    /// A page that shows the report in a frame `width` px wide and prints, as JSON, what it
    /// measures there: the page's width against the frame's, the resources it loaded, and
    /// any visible text under 14 px (SVG text scaled as drawn).
    static func measuringPage(width: Int) -> String {
        """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>measure</title></head><body style="margin:0">
        <iframe id="f" src="report.html" style="width:\(width)px;height:900px;border:0"></iframe><pre id="out">pending</pre>
        <script>
        document.getElementById('f').addEventListener('load', () => {
          const frame = document.getElementById('f'), d = frame.contentDocument, w = frame.contentWindow;
          const small = [];
          for (const el of d.querySelectorAll('body *')) {
            let text = false;
            for (const n of el.childNodes) if (n.nodeType === 3 && n.textContent.trim()) text = true;
            if (!text) continue;
            const style = w.getComputedStyle(el), box = el.getBoundingClientRect();
            if (style.display === 'none' || box.width === 0) continue;
            let size = parseFloat(style.fontSize);
            const svg = el.closest('svg');
            if (svg) size = size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            if (size < 13.95) small.push(el.tagName + ' ' + size.toFixed(1) + 'px: ' + el.textContent.slice(0, 30));
          }
          document.getElementById('out').textContent = JSON.stringify({
            scrollWidth: d.documentElement.scrollWidth, clientWidth: d.documentElement.clientWidth,
            lang: d.documentElement.lang, title: d.title,
            resources: w.performance.getEntriesByType('resource').map(e => e.name), small: small.slice(0, 10),
            wide: [...d.querySelectorAll('table, figure, svg, ul, dl')].filter(e => e.getBoundingClientRect().right > d.documentElement.clientWidth + 1)
              .map(e => e.tagName + ' ' + (e.querySelector('caption, title') || e).textContent.slice(0, 40))});
        });
        </script></body></html>
        """
    }

    /// Pixels of a binary PPM (P6) that are not near white, or nil when it is not one.
    static func inkedPixels(_ data: Data) -> Int? {
        let bytes = [UInt8](data)
        var fields: [Int] = []
        var i = 2
        guard bytes.starts(with: Array("P6".utf8)) else { return nil }
        while fields.count < 3 && i < bytes.count {
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
            if i < bytes.count && bytes[i] == UInt8(ascii: "#") {
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                continue
            }
            var value = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            fields.append(value)
        }
        i += 1
        guard fields.count == 3, fields[2] == 255, bytes.count >= i + fields[0] * fields[1] * 3 else { return nil }
        var inked = 0
        var p = i
        while p + 2 < bytes.count {
            if Int(bytes[p]) + Int(bytes[p + 1]) + Int(bytes[p + 2]) < 600 { inked += 1 }
            p += 3
        }
        return inked
    }

    @Test("The sample's report in headless Chromium: no console message, no request, fits 1280 and 390 px, text >= 14 px, prints on A4",
          .enabled(if: canRun, "Chromium or pdftoppm is not installed (apt-get install chromium poppler-utils; .ci/run does); in CI this test fails instead"))
    func inChromium() throws {
        guard let chromium = Self.chromium, let pdftoppm = Self.pdftoppm else {
            Issue.record("CI=true but chromium or pdftoppm is missing: .ci/run must install chromium and poppler-utils")
            return
        }
        let box = try Sandbox()
        try box.initSample()
        let made = try box.run("report", "-o", "report.html")
        #expect(made.status == 0, "\(made)")
        let page = try box.text("report.html")
        #expect(!page.contains("http://") && !page.contains("https://"), "the page names a URL")
        try box.write("blank.html", "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>")

        for (width, name) in [(1280, "desktop"), (390, "phone")] {
            // A screenshot of the page, and one of a blank page at the same size to compare with.
            for (source, shot) in [("report.html", "\(name).png"), ("blank.html", "\(name)-blank.png")] {
                let run = try Self.run(chromium, Self.headless(box, width: width, height: 1200)
                    + ["--screenshot=\(box.path(shot))", box.file(source).absoluteString])
                #expect(run.status == 0, "\(run.err)")
                #expect(Self.consoleMessages(run.err).isEmpty, "console: \(Self.consoleMessages(run.err))")
            }
            let shot = try box.read("\(name).png"), blank = try box.read("\(name)-blank.png")
            #expect(shot.count > 8 * blank.count, "\(name) screenshot looks blank: \(shot.count) bytes against \(blank.count) for a blank page")

            // Measured in a frame of that width.
            try box.write("measure.html", Self.measuringPage(width: width))
            let measured = try Self.run(chromium, Self.headless(box, width: width + 40, height: 1000)
                + ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", box.file("measure.html").absoluteString])
            #expect(Self.consoleMessages(measured.err).isEmpty, "console: \(Self.consoleMessages(measured.err))")
            let json = try #require(measured.out.firstMatch(of: /<pre id="out">([^<]*)<\/pre>/)?.1, "no measurement: \(measured.err)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(String(json).replacing("&quot;", with: "\"").utf8))
                as? [String: Any], "\(json)")
            let scrollWidth = try #require(result["scrollWidth"] as? Int), clientWidth = try #require(result["clientWidth"] as? Int)
            #expect(scrollWidth <= clientWidth, "at \(width) px the page is \(scrollWidth) px wide: a horizontal scrollbar")
            #expect((result["wide"] as? [String]) == [], "wider than \(width) px (scrolled in its box): \(result["wide"] ?? "?")")
            #expect((result["resources"] as? [String]) == [], "the page fetched \(result["resources"] ?? "?")")
            #expect((result["small"] as? [String]) == [], "text under 14 px at \(width) px: \(result["small"] ?? "?")")
            #expect(result["lang"] as? String == "en")
            #expect(result["title"] as? String == "Northwind Webshop: backlog report")
        }

        // Printed: A4 pages, each shown by pdftoppm and none blank.
        let printed = try Self.run(chromium, Self.headless(box, width: 1280, height: 1200)
            + ["--no-pdf-header-footer", "--print-to-pdf=\(box.path("report.pdf"))", box.file("report.html").absoluteString])
        #expect(printed.status == 0, "\(printed.err)")
        let pdf = try box.read("report.pdf")
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        // A4 is 595 × 842 points (Chromium writes 594.96 × 841.92).
        let boxes = String(decoding: pdf, as: UTF8.self).matches(of: /MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]/)
        #expect(!boxes.isEmpty && boxes.allSatisfy { abs((Double($0.1) ?? 0) - 595) < 1 && abs((Double($0.2) ?? 0) - 842) < 1 }, "not A4")
        let pages = try Self.run(pdftoppm, ["-r", "20", box.path("report.pdf"), box.path("page")])
        #expect(pages.status == 0, "\(pages.err)")
        let images = try box.listing().filter { $0.hasPrefix("page") && $0.hasSuffix(".ppm") }
        #expect(images.count >= 3, "\(images)")
        for image in images {
            let inked = try #require(Self.inkedPixels(try box.read(image)), "\(image) is not a PPM")
            #expect(inked > 100, "\(image) is blank")
        }
    }
}
