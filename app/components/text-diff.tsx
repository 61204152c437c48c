// A readable difference between two texts (from app/models/guides/diff.ts): removed text in <del>,
// added text in <ins>, each also announced in words ("Removed:", "Added:") and marked with − and +,
// so nothing depends on colour. Long unchanged runs are folded to a line that says how many.

type WordPart = { kind: "same" | "added" | "removed"; text: string };
type DiffBlock =
  | { kind: "same"; before: string[]; hidden: number; after: string[] }
  | { kind: "added"; lines: string[] }
  | { kind: "removed"; lines: string[] }
  | { kind: "changed"; parts: WordPart[] };

export type TextDiffProps = {
  diff: { blocks: DiffBlock[]; added: number; removed: number; identical: boolean };
  /** Names the two sides for the summary, e.g. "revision 2" and "revision 3". */
  from: string;
  to: string;
};

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function Lines({ lines, mark }: { lines: string[]; mark: "same" | "added" | "removed" }) {
  return (
    <>
      {lines.map((line, i) => {
        const text = line === "" ? "\u00a0" : line;
        if (mark === "added")
          return (
            <ins key={i} className="diff-line">
              <span className="visually-hidden">Added: </span>
              <span aria-hidden="true" className="diff-sign">
                +
              </span>
              {text}
            </ins>
          );
        if (mark === "removed")
          return (
            <del key={i} className="diff-line">
              <span className="visually-hidden">Removed: </span>
              <span aria-hidden="true" className="diff-sign">
                −
              </span>
              {text}
            </del>
          );
        return (
          <span key={i} className="diff-line">
            <span aria-hidden="true" className="diff-sign">
              {" "}
            </span>
            {text}
          </span>
        );
      })}
    </>
  );
}

export function TextDiff({ diff, from, to }: TextDiffProps) {
  if (diff.identical)
    return (
      <p className="diff-summary">
        No difference between {from} and {to}.
      </p>
    );
  return (
    <div className="text-diff">
      <p className="diff-summary">
        From {from} to {to}: {plural(diff.added, "line")} added, {plural(diff.removed, "line")} removed. Removed text is
        struck through and marked −, added text is underlined and marked +.
      </p>
      <div className="diff-body">
        {diff.blocks.map((block, i) => {
          switch (block.kind) {
            case "same":
              return (
                <div key={i} className="diff-block diff-same">
                  <Lines lines={block.before} mark="same" />
                  {block.hidden > 0 ? (
                    <span className="diff-fold">… {plural(block.hidden, "unchanged line")} …</span>
                  ) : null}
                  <Lines lines={block.after} mark="same" />
                </div>
              );
            case "added":
              return (
                <div key={i} className="diff-block diff-added">
                  <Lines lines={block.lines} mark="added" />
                </div>
              );
            case "removed":
              return (
                <div key={i} className="diff-block diff-removed">
                  <Lines lines={block.lines} mark="removed" />
                </div>
              );
            case "changed":
              return (
                <p key={i} className="diff-block diff-changed">
                  <span className="visually-hidden">Changed: </span>
                  {block.parts.map((part, j) =>
                    part.kind === "added" ? (
                      <ins key={j}>
                        <span className="visually-hidden">[added: </span>
                        {part.text}
                        <span className="visually-hidden">]</span>
                      </ins>
                    ) : part.kind === "removed" ? (
                      <del key={j}>
                        <span className="visually-hidden">[removed: </span>
                        {part.text}
                        <span className="visually-hidden">]</span>
                      </del>
                    ) : (
                      <span key={j}>{part.text}</span>
                    ),
                  )}
                </p>
              );
          }
        })}
      </div>
    </div>
  );
}
