(function () {
  var player = document.getElementById('player');
  var svg = document.getElementById('timeline');
  if (!player) return;
  function play(t) { player.currentTime = Math.max(0, t); player.play(); }
  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.addEventListener('click', function (ev) { ev.stopPropagation(); play(parseFloat(el.getAttribute('data-t'))); });
  });
  if (!svg) return;
  var x0 = parseFloat(svg.getAttribute('data-x0')), pps = parseFloat(svg.getAttribute('data-pps'));
  var head = document.getElementById('playhead');
  svg.addEventListener('click', function (ev) {
    var p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
    var q = p.matrixTransform(svg.getScreenCTM().inverse());
    play((q.x - x0) / pps);
  });
  player.addEventListener('timeupdate', function () {
    var x = x0 + player.currentTime * pps;
    head.setAttribute('x1', x); head.setAttribute('x2', x); head.setAttribute('visibility', 'visible');
  });
})();
