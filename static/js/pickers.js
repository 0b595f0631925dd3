// Pickers (django-autocomplete-light with select2, loaded with the pickers'
// own scripts): the page's language for every picker, and the search box of
// an open picker takes the focus (select2 4.0 with jQuery 3.6+ no longer
// gives it) and says what to type.
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) return;
  $.fn.select2.defaults.set("language", document.documentElement.lang || "vi");
  $(document).on("select2:open", function (event) {
    var select = $(event.target);
    var placeholder = select.attr("data-search-placeholder") || select.attr("data-placeholder") || "";
    window.setTimeout(function () {
      var field = document.querySelector(".select2-container--open .select2-search__field");
      if (!field) return;
      if (placeholder && !field.placeholder) field.placeholder = placeholder;
      field.focus();
    }, 0);
  });
})(window.jQuery);
