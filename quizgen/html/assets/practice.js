"use strict";
(function () {
  var data = JSON.parse(document.getElementById("qz-data").textContent);
  var sections = Array.prototype.slice.call(document.querySelectorAll("article.q"));
  var live = document.getElementById("qz-live");
  var score = document.getElementById("qz-score");
  var total = sections.length;
  document.getElementById("qz-noscript").hidden = true;

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function key(sec) { return data.q[Number(sec.dataset.n)]; }

  // Capitals, accents, spaces and punctuation do not matter: "Zelenskiy" = "zelenskiy", "Kyiv" = "KYÍV".
  function norm(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function sameNumber(typed, answer) {
    var a = Number(answer), b = Number(String(typed).trim().replace(",", "."));
    return typed.trim() !== "" && isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The answer, the explanation and the source quote: written into the page only when the learner checks.
  function feedback(sec, f) {
    var box = sec.querySelector(".fb"), answer = el("p", "answer");
    answer.appendChild(el("span", "label", f.l + ":"));
    box.textContent = "";
    box.appendChild(answer);
    if (f.a.length > 1) {
      var list = box.appendChild(el(f.o ? "ol" : "ul", "answers"));
      f.a.forEach(function (line) { list.appendChild(el("li", "", line)); });
    } else answer.appendChild(document.createTextNode(" " + f.a[0]));
    if (f.w >= 0) box.appendChild(el("p", "why", data.t[f.w]));
    if (f.s >= 0) {
      var quote = box.appendChild(el("blockquote", "quote"));
      quote.appendChild(el("p", "", "“" + data.t[f.s] + "”"));
      if (f.c) quote.appendChild(el("footer", "", f.c));
    }
    box.hidden = false;
  }

  // A ✓ or ✗ (with words for screen readers) on `target`, or after `where` for a field.
  function mark(target, ok, where) {
    var span = document.createElement("span");
    span.className = "mark " + (ok ? "ok" : "bad");
    span.textContent = ok ? "✓" : "✗";
    var said = document.createElement("span");
    said.className = "sr";
    said.textContent = ok ? " right" : " wrong";
    span.appendChild(said);
    target.classList.add(ok ? "is-ok" : "is-bad");
    if (where) where.insertAdjacentElement("afterend", span); else target.appendChild(span);
    return ok;
  }

  // Each grader marks the controls right or wrong and says whether the whole question is right.
  var graders = {
    choice: function (sec, answer) {
      var right = [].concat(answer).map(String), good = true;
      all(sec, ".opts input").forEach(function (input) {
        var isRight = right.indexOf(input.value) >= 0;
        if (isRight !== input.checked) good = false;
        if (isRight) mark(input.closest("label"), true);
        else if (input.checked) mark(input.closest("label"), false);
      });
      return good;
    },
    order: function (sec, answer) {
      var good = true;
      all(sec, ".order li").forEach(function (li, position) {
        good = mark(li, Number(li.dataset.i) === answer[position]) && good;
      });
      return good;
    },
    match: function (sec, answer) {
      var good = true;
      all(sec, ".pairs li").forEach(function (li) {
        var select = li.querySelector("select");
        good = mark(select, select.value === String(answer[Number(li.dataset.i)]), select) && good;
      });
      return good;
    },
    cloze: function (sec, answer) {
      var good = true;
      all(sec, "input.blank").forEach(function (input, i) {
        good = mark(input, norm(input.value) !== "" && norm(input.value) === norm(answer[i]), input) && good;
      });
      return good;
    },
    text: function (sec, answer, q) {
      var input = sec.querySelector(".typed input"), typed = input.value;
      var ok = q.k === "numeric"
        ? (q.n ? sameNumber(typed, answer) : norm(typed) !== "" && norm(typed) === norm(answer))
        : norm(typed) !== "" && [].concat(answer).some(function (a) { return norm(a) === norm(typed); });
      return mark(input, ok, sec.querySelector(".typed .unit") || input);
    }
  };
  var controls = { multiple_choice: "choice", true_false: "choice", which_first: "choice", quote: "choice",
    multiple_select: "choice", ordering: "order", matching: "match", cloze: "cloze", short_answer: "text",
    numeric: "text" };

  function answered(sec) {
    if (sec.dataset.kind === "ordering") return true;
    return all(sec, "input, select").some(function (el) {
      return el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
    });
  }

  function lock(sec, locked) {
    all(sec, "input, select, button").forEach(function (el) { el.disabled = locked; });
    all(sec, ".order li").forEach(function (li) { li.draggable = !locked; });
  }

  function check(sec, force) {
    if (sec.classList.contains("done")) return;
    var verdict = sec.querySelector(".verdict");
    if (!force && !answered(sec)) {
      verdict.className = "verdict note";
      verdict.textContent = "Answer first, then Check.";
      return;
    }
    var q = key(sec);
    var ok = graders[controls[q.k]](sec, q.a, q);
    sec.classList.add("done", ok ? "ok" : "bad");
    verdict.className = "verdict";
    verdict.textContent = ok ? "✓ Right" : "✗ Wrong";
    feedback(sec, q.f);
    lock(sec, true);
    if (!force) verdict.focus();
    update(!force);
  }

  function update(announce) {
    var done = sections.filter(function (s) { return s.classList.contains("done"); }).length;
    var right = sections.filter(function (s) { return s.classList.contains("ok"); }).length;
    document.getElementById("qz-progress").value = done;
    document.getElementById("qz-progress-text").textContent =
      done + " of " + total + " checked · " + right + " right";
    if (done === total) {
      score.textContent = "Score: " + right + " / " + total + " (" + Math.round(100 * right / total) + "%)";
      if (announce) live.textContent = score.textContent;
    }
  }

  function shuffled(items) {
    var a = items.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = a[i];
      a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function reshuffle(sec) {
    var q = key(sec);
    if (q.k === "true_false") return;
    if (q.k === "ordering") {
      var list = sec.querySelector(".order"), items = all(list, "li"), order, tries = 0;
      do { order = shuffled(items); tries++; } while (tries < 10 && order.every(function (li, p) {
        return Number(li.dataset.i) === q.a[p];
      }));
      order.forEach(function (li) { list.appendChild(li); });
      return;
    }
    if (q.k === "matching") {
      var rows = sec.querySelector(".pairs"), selects = all(sec, "select");
      var values = shuffled(all(selects[0], "option").slice(1)).map(function (o) { return o.value; });
      selects.forEach(function (select) {
        values.forEach(function (v) { select.appendChild(select.querySelector("option[value='" + v + "']")); });
      });
      shuffled(all(rows, "li")).forEach(function (li) { rows.appendChild(li); });
      return;
    }
    var opts = sec.querySelector(".opts");
    if (opts) shuffled(all(opts, "li")).forEach(function (li) { opts.appendChild(li); });
  }

  function reset(sec) {
    all(sec, ".mark").forEach(function (m) { m.remove(); });
    all(sec, ".is-ok, .is-bad").forEach(function (el) { el.classList.remove("is-ok", "is-bad"); });
    all(sec, "input").forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") el.checked = false; else el.value = "";
    });
    all(sec, "select").forEach(function (el) { el.value = ""; });
    sec.classList.remove("done", "ok", "bad");
    var verdict = sec.querySelector(".verdict");
    verdict.textContent = "";
    verdict.className = "verdict";
    sec.querySelector(".fb").hidden = true;
    sec.querySelector(".fb").textContent = "";
    lock(sec, false);
    reshuffle(sec);
  }

  function move(li, by) {
    var list = li.parentNode, items = all(list, "li"), at = items.indexOf(li), to = at + by;
    if (to < 0 || to >= items.length) return;
    list.insertBefore(li, by < 0 ? items[to] : items[to].nextSibling);
    live.textContent = "Moved to position " + (to + 1) + " of " + items.length;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || button.disabled) return;
    if (button.classList.contains("check")) check(button.closest("article.q"), false);
    else if (button.classList.contains("up") || button.classList.contains("down")) {
      move(button.closest("li"), button.classList.contains("up") ? -1 : 1);
      button.focus();
    } else if (button.id === "qz-check-all") {
      sections.forEach(function (sec) { check(sec, true); });
      update(false);
      score.focus();
    } else if (button.id === "qz-again") {
      sections.forEach(reset);
      score.textContent = "Answer the questions, then check them one by one or all at once.";
      update(false);
      var first = document.querySelector(".qn");
      first.focus();
      first.scrollIntoView();
    }
  });

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var li = event.target.closest && event.target.closest(".order li");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  document.addEventListener("dragover", function (event) {
    var li = event.target.closest && event.target.closest(".order li");
    if (!dragged || !li || li === dragged || li.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var box = li.getBoundingClientRect();
    li.parentNode.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? li : li.nextSibling);
  });
  document.addEventListener("drop", function (event) { if (dragged) event.preventDefault(); });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
})();
